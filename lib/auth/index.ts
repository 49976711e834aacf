export * from './principal';
export * from './app-key';
