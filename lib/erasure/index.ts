export * from './erasure-consumer';
export * from './erasure-pass';
