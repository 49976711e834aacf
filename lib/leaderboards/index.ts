export * from './leaderboard-reader';
export * from './leaderboard-projector';
export { now } from '../clock';
