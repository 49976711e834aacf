export * from './feed-projector';
export * from './feed-reader';
