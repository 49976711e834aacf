// ESM-only dependencies (middy 7, jose 6, zod 4) are compiled to CommonJS by swc along with our
// TypeScript, instead of running jest in experimental ESM mode.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|zod)/)'],
  moduleNameMapper: {
    // middy publishes only an `import` export condition, which jest's CommonJS resolver skips.
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    '^@astral/lib/(.*)$': '<rootDir>/lib/$1/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  // A timeout here is a hang detector, not a speed check (speed lives in `npm run bench`). Under a full
  // run the suites share one DynamoDB Local and 2 cores: CI saw a 1,000-member roster listing that takes
  // ~1 s alone exceed 60 s (stop 30), and suites 15 s alone take 280-320 s. Slow cases rely on this default;
  // only those that seed or scan thousands of items set a longer one.
  testTimeout: 300_000,
  // Jest's default on this 2-core machine is cores − 1 = 1 worker, i.e. every file in band. The suite
  // waits more than it computes (DynamoDB Local's JVM, child processes, stream polls, npm start), so
  // more workers than cores pay: the whole jest run took 129 s with 1 worker, 106 s with 2, 76 s with
  // 3, 59 s with 4 and 67 s with 6 (one run each, other sessions running too). Slow files already go
  // first: jest's default sequencer orders by the durations it cached last run. The transform cache
  // (swc output, keyed by file content) is jest's own and on by default.
  maxWorkers: 4,
};
