/** Environment variable names shared by the stack (which sets them) and the code (which reads them). */
export const ENV = {
  tableName: 'TABLE_NAME',
  tokenIssuer: 'TOKEN_ISSUER',
  /** Accepted `aud` values, comma-separated; zero or more (ADR 0021). */
  tokenAudience: 'TOKEN_AUDIENCE',
  /** Accepted `client_id` values of access tokens without `aud` (Cognito), comma-separated; zero or more. */
  tokenClientIds: 'TOKEN_CLIENT_IDS',
  jwksUrl: 'JWKS_URL',
  /** The claim that makes a platform admin: `true`, or, with ADMIN_GROUP, an array naming that group. */
  adminClaim: 'ADMIN_CLAIM',
  /** Optional: the group in the ADMIN_CLAIM array (e.g. `admin` in `cognito:groups`) that makes an admin. */
  adminGroup: 'ADMIN_GROUP',
  /** The oldest a user token may be, by its `iat`, in seconds (default DEFAULT_TOKEN_MAX_AGE_SECONDS). */
  tokenMaxAgeSeconds: 'TOKEN_MAX_AGE_SECONDS',
  /** The `typ` header user tokens must carry (e.g. `JWT`, `at+jwt`); unset, any or none is accepted. */
  tokenType: 'TOKEN_TYPE',
  /**
   * The usage-plan key user-token traffic is metered under. With the key source AUTHORIZER, clients
   * cannot present usage keys themselves, so this value grants nothing: it only names a plan.
   */
  userUsageKey: 'USER_USAGE_KEY',
  /** The page-token secret (ADR 0010): list functions seal `next_token` with it. */
  pageTokenSecret: 'PAGE_TOKEN_SECRET',
  /** The secret before the last rotation, still accepted on tokens already handed out (optional). */
  pageTokenPreviousSecret: 'PAGE_TOKEN_PREVIOUS_SECRET',
  /** Optional: items one erasure pass may write before handing over to the next (default 1,000; ADR 0020). */
  erasurePassWrites: 'ERASURE_PASS_WRITES',
  /** Only set locally: points the DynamoDB client at DynamoDB Local. */
  dynamoDbEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

/** A user token older than this (by `iat`) is refused, whatever its `exp` says (issue 13). */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required variable, failing fast at module load rather than on the first request. */
export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

/** A whole number of seconds from the environment, or the default; anything else fails at load. */
export function secondsEnv(name: EnvName, fallback: number): number {
  return positiveEnv(name, fallback, 'whole number of seconds');
}

/** An optional positive whole number (`fallback` when unset); anything else fails loudly, never silently defaults. */
export function positiveEnv(name: EnvName, fallback: number, what = 'whole number'): number {
  const value = optionalEnv(name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0) throw new Error(`environment variable ${name} must be a positive ${what}`);
  return number;
}

export function optionalEnv(name: EnvName): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
