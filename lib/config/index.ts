export * from './env';
export * from './table';
export * from './plans';
export * from './credential-rejections';
export * from './method-not-allowed';
export * from './authorizers';
export * from './observability';
export * from './identity-provider';
