export * from './activity-bounds';
export * from './activity-schema';
export * from './activity-id';
export * from './activity';
export * from './period-totals';
export * from './activity-summary';
