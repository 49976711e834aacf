export * from './data-export';
