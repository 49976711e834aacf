export * from './relationship-loader';
