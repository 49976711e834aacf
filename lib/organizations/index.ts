export * from './permissions';
export * from './membership-view';
