import { now as clockNow } from '../clock';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../config/authorizers';
import type { AppKeyRepository } from '../repositories/app-key-repository';
import { hashAppKey, isWellFormedAppKey } from './app-key';
import type { AppPrincipal } from './principal';

export interface AppKeyResolverOptions {
  /**
   * How long a warm container trusts a key it has seen. API Gateway may then cache that answer for its
   * own TTL, so the two add up to the revocation bound (lib/config/authorizers.ts).
   */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * What a presented key turned out to be. Unknown and revoked are told apart because the 401 names
 * which it was (api.md "Conventions"); a malformed key is simply unknown.
 */
export type AppKeyResolution =
  | { readonly status: 'active'; readonly principal: AppPrincipal }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked' };

export type AppKeyResolver = (key: string) => Promise<AppKeyResolution>;

const UNKNOWN: AppKeyResolution = { status: 'unknown' };
const REVOKED: AppKeyResolution = { status: 'revoked' };

/**
 * Resolves a presented key through its SHA-256 hash, with a warm-container cache so a hot key costs
 * no DynamoDB call. Only active keys are cached: a key issued a moment ago must work at once, and a
 * refused key costs a read each time (it is rare, and caching it would buy nothing).
 */
export function createAppKeyResolver(repository: AppKeyRepository, options: AppKeyResolverOptions = {}): AppKeyResolver {
  const ttlMs = options.ttlMs ?? AUTHORIZER_CACHE_TTL_SECONDS.appKeyMemory * 1000;
  const maxEntries = options.maxEntries ?? 1_000;
  // lib/clock: the system clock when deployed; the local stack's tests pin it to step past a TTL.
  const now = options.now ?? (() => clockNow().getTime());
  const cache = new Map<string, { resolution: AppKeyResolution; expiresAt: number }>();

  return async (key) => {
    if (!isWellFormedAppKey(key)) return UNKNOWN;
    const hash = hashAppKey(key);
    const hit = cache.get(hash);
    if (hit && hit.expiresAt > now()) return hit.resolution;
    cache.delete(hash);
    const record = await repository.findByHash(hash);
    if (!record) return UNKNOWN;
    if (record.status !== 'active') return REVOKED;
    const resolution: AppKeyResolution = {
      status: 'active',
      principal: { kind: 'app', app_id: record.app_id, ...(record.org_id ? { org_id: record.org_id } : {}) },
    };
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(hash, { resolution, expiresAt: now() + ttlMs });
    return resolution;
  };
}
