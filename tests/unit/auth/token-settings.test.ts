import { DEFAULT_TOKEN_MAX_AGE_SECONDS, ENV, secondsEnv } from '@astral/lib/config';

/** The maximum token age as the authorizer reads it (functions/authorizer/handler.ts): default 24 h, a bad value fails the cold start. */
let saved: string | undefined;

beforeEach(() => {
  saved = process.env[ENV.tokenMaxAgeSeconds];
});

afterEach(() => {
  if (saved === undefined) delete process.env[ENV.tokenMaxAgeSeconds];
  else process.env[ENV.tokenMaxAgeSeconds] = saved;
});

it('defaults to 24 hours, and takes a whole number of seconds', () => {
  delete process.env[ENV.tokenMaxAgeSeconds];
  expect(secondsEnv(ENV.tokenMaxAgeSeconds, DEFAULT_TOKEN_MAX_AGE_SECONDS)).toBe(86_400);
  process.env[ENV.tokenMaxAgeSeconds] = '3600';
  expect(secondsEnv(ENV.tokenMaxAgeSeconds, DEFAULT_TOKEN_MAX_AGE_SECONDS)).toBe(3600);
});

it.each(['0', '-5', '1.5', '24h', 'NaN', '1e400'])('refuses %s', (value) => {
  process.env[ENV.tokenMaxAgeSeconds] = value;
  expect(() => secondsEnv(ENV.tokenMaxAgeSeconds, DEFAULT_TOKEN_MAX_AGE_SECONDS)).toThrow(/TOKEN_MAX_AGE_SECONDS/);
});
