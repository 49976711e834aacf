export * from './feed-repository';
export * from './feed-projector';
export * from './feed-reader';
