export * from './relationship-loader';
export * from './organization-ties';
