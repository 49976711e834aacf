export * from './athletes';
export * from './common';
export * from './organizations';
