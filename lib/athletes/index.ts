export * from './athlete-views';
export * from './related-athletes';
