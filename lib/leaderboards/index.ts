export * from './leaderboard-reader';
