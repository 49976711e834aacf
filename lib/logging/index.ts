export { type LogFields, log } from './logger';
