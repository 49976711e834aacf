export * from './principal';
export * from './app-key';
export * from './issue-app-key';
