export * from './athlete-views';
export { RelationshipLoader } from '../relationships/relationship-loader';
