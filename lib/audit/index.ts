export * from './events';
export * from './process-stream-batch';
