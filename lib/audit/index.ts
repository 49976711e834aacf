export * from './events';
export * from './audit-log-repository';
export * from './process-stream-batch';
