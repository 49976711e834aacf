export * from './leaderboard-reader';
export { now } from '../clock';
