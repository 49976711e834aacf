/**
 * Which API Gateway authorizer fronts a route, and how long API Gateway caches its answers (ADR 0014).
 * One function, three authorizer resources: the route's credentials decide, here and only here, for
 * the stack (infra/constructs/astral-api.ts) and the local gateway (local/authorizer-step.ts) alike.
 */

/**
 * How long each cache holds an answer. The bench reads these for its authorizer cache-hit assumption.
 *
 * An app key's revocation reaches a request after at most `appKeySeconds + appKeyMemorySeconds`: the
 * authorizer may answer from its warm container's memory just before that entry expires, and API
 * Gateway then keeps that answer for its own TTL. Their sum is the documented bound
 * (APP_KEY_REVOCATION_BOUND_SECONDS), so neither may grow alone.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = {
  /** API Gateway's cache of a bearer token's answer; a token's `exp` and maximum age still hold (the pipeline checks `valid_until`). */
  userToken: 300,
  /** API Gateway's cache of an app key's answer. */
  appKey: 20,
  /** The authorizer's own warm-container memory of an active app key (lib/auth/app-key-resolver.ts). */
  appKeyMemory: 10,
  /** The routes that take either credential: no identity source can be declared, so no cache (ADR 0002). */
  either: 0,
} as const;

/** A revoked app key stops working within this many seconds (README "Issue an app key"). */
export const APP_KEY_REVOCATION_BOUND_SECONDS = 30;

export type AuthorizerBinding = 'user-token' | 'app-key' | 'either';

export interface AuthorizerSpec {
  /**
   * TOKEN: API Gateway hands the function the identity header's value and nothing else, so its answer
   * cannot depend on anything outside the cache key. REQUEST: the whole request.
   */
  readonly type: 'TOKEN' | 'REQUEST';
  /** The identity source (the cache key); none for the uncached authorizer. A request without it is 401 before the function runs. */
  readonly identityHeader?: 'Authorization' | 'X-API-Key';
  readonly ttlSeconds: number;
}

export const AUTHORIZERS = {
  'user-token': { type: 'TOKEN', identityHeader: 'Authorization', ttlSeconds: AUTHORIZER_CACHE_TTL_SECONDS.userToken },
  'app-key': { type: 'REQUEST', identityHeader: 'X-API-Key', ttlSeconds: AUTHORIZER_CACHE_TTL_SECONDS.appKey },
  either: { type: 'REQUEST', ttlSeconds: AUTHORIZER_CACHE_TTL_SECONDS.either },
} as const satisfies Readonly<Record<AuthorizerBinding, AuthorizerSpec>>;

/** The authorizer a route with these credentials gets; undefined for a public route (no authorizer). */
export function authorizerFor(credentials: readonly ('user' | 'app')[]): AuthorizerBinding | undefined {
  const user = credentials.includes('user');
  const app = credentials.includes('app');
  if (user && app) return 'either';
  if (user) return 'user-token';
  if (app) return 'app-key';
  return undefined;
}
