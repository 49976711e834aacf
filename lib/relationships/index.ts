export * from './organization-ties';
export * from './profile-facts';
