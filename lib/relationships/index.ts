export * from './relationship-loader';
export * from './organization-ties';
export * from './profile-facts';
export * from './profile-batch';
