export * from './principal';
export * from './app-key';
export * from './issue-app-key';
export * from './token-verifier';
export * from './app-key-resolver';
export * from './authorizer';
