export * from './principal';
export * from './app-key';
export * from './issue-app-key';
export * from './token-verifier';
export * from '../config/identity-provider';
export * from './app-key-resolver';
export * from './authorizer';
// The authorizer's key store, here so the authorizer needs no other lib entry than db and config (cold start).
export { AppKeyRepository } from '../repositories/app-key-repository';
