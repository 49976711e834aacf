import { AppKeyRepository, hashAppKey } from '../lib/auth';
import { APP_KEY_REVOCATION_BOUND_SECONDS, AUTHORIZER_CACHE_TTL_SECONDS } from '../lib/config';
import { pinClock } from '../lib/clock';
import { documentClient } from '../lib/db';
import type { BenchStack } from './stack';

/**
 * The authorizer result cache as the local gateway emulates it (ADR 0014), shown on the bench's own
 * stack: how many authorizer invocations a run of requests costs per kind of route, and how long a
 * revoked app key keeps working. Time is lib/clock, pinned and stepped (the gateway, the authorizer's
 * key memory and the handlers all read it), so the figures are the design's, not the machine's.
 */
export interface AuthorizerCacheShow {
  readonly requests: number;
  /** The same bearer token on two user-only routes (`GET /users/me`, `GET /users/me/memberships`). */
  readonly userOnlyInvocations: number;
  /** The same token on a route taking either kind (`GET /users/{id}`): uncached. */
  readonly eitherKindInvocations: number;
  /** The same app key on the app-only `POST /users`. */
  readonly appOnlyInvocations: number;
  /** Seconds after revocation: the last at which the revoked key was still accepted, the first refused. */
  readonly revokedLastAcceptedS: number;
  readonly revokedFirstRefusedS: number;
  readonly revocationBoundS: number;
  readonly ttls: typeof AUTHORIZER_CACHE_TTL_SECONDS;
}

const REQUESTS = 20;

async function status(stack: BenchStack, method: 'GET' | 'POST', path: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${stack.gateway.url}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: JSON.stringify({ display_name: 'Cache Bench' }) } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Authorizer invocations while `run` sends its requests. */
async function invocationsOf(stack: BenchStack, run: () => Promise<unknown>): Promise<number> {
  const before = stack.gateway.authorizerInvocations();
  await run();
  return stack.gateway.authorizerInvocations() - before;
}

/** What ops would do to revoke a key: its record's status, in the table (the gateway's cache is not told). */
async function revoke(stack: BenchStack, key: string): Promise<void> {
  const revoked = await new AppKeyRepository(documentClient(), stack.tableName).setStatus(hashAppKey(key), 'revoked');
  if (!revoked) throw new Error('the bench app key was not stored');
}

export async function showAuthorizerCache(stack: BenchStack): Promise<AuthorizerCacheShow> {
  const origin = Date.now();
  const at = (seconds: number) => pinClock(new Date(origin + seconds * 1000));
  at(0);
  try {
    const key = await stack.appKey('authorizer cache bench');
    const appKey = { 'X-API-Key': key };
    let userId = '';
    const appOnlyInvocations = await invocationsOf(stack, async () => {
      for (let i = 0; i < REQUESTS; i += 1) {
        const response = await fetch(`${stack.gateway.url}/api/v1/users`, {
          method: 'POST',
          headers: { ...appKey, 'Content-Type': 'application/json' },
          body: JSON.stringify({ display_name: 'Cache Bench' }),
        });
        const body = (await response.json()) as { user?: { user_id?: string } };
        userId ||= body.user?.user_id ?? '';
      }
    });
    const bearer = { Authorization: `Bearer ${await stack.token(userId)}` };
    const userOnlyInvocations = await invocationsOf(stack, async () => {
      for (let i = 0; i < REQUESTS; i += 1) await status(stack, 'GET', i % 2 ? '/users/me' : '/users/me/memberships', bearer);
    });
    const eitherKindInvocations = await invocationsOf(stack, async () => {
      for (let i = 0; i < REQUESTS; i += 1) await status(stack, 'GET', `/users/${userId}`, bearer);
    });
    await revoke(stack, key);
    let lastAccepted = -1;
    let firstRefused = -1;
    for (let second = 0; second <= APP_KEY_REVOCATION_BOUND_SECONDS + 5 && firstRefused < 0; second += 1) {
      at(second);
      const answered = await status(stack, 'POST', '/users', appKey);
      if (answered === 201) lastAccepted = second;
      else firstRefused = second;
    }
    return {
      requests: REQUESTS,
      userOnlyInvocations,
      eitherKindInvocations,
      appOnlyInvocations,
      revokedLastAcceptedS: lastAccepted,
      revokedFirstRefusedS: firstRefused,
      revocationBoundS: APP_KEY_REVOCATION_BOUND_SECONDS,
      ttls: AUTHORIZER_CACHE_TTL_SECONDS,
    };
  } finally {
    pinClock(undefined);
  }
}
