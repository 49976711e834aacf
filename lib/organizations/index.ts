export * from './permissions';
export * from './membership-view';
export * from './access';
export * from './roster';
export * from './fields';
export * from './memberships';
