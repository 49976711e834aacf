export * from './process-stream-records';
