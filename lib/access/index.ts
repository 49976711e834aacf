export * from './recorder';
export { type AccessLogEntry, type AccessLogPage, AccessLogRepository } from '../repositories/access-log-repository';
