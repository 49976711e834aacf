export * from '../db/client';
export * from './keys';
export * from './app-key-repository';
export * from './user-repository';
export * from './organization-repository';
