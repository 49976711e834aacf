export * from './env';
export * from './table';
export * from './plans';
