export * from './keys';
export * from './app-key-repository';
