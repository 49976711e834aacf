import type { AppKeyRepository } from '../repositories/app-key-repository';
import { hashAppKey, isWellFormedAppKey } from './app-key';
import type { AppPrincipal } from './principal';

export interface AppKeyResolverOptions {
  /** How long a warm container trusts a key it has seen: a revocation takes at most this long. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export type AppKeyResolver = (key: string) => Promise<AppPrincipal | undefined>;

/**
 * Resolves a presented key through its SHA-256 hash, with a warm-container cache so a hot key costs
 * no DynamoDB call. Unknown keys are not cached: a key issued a moment ago must work at once.
 */
export function createAppKeyResolver(repository: AppKeyRepository, options: AppKeyResolverOptions = {}): AppKeyResolver {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: AppPrincipal; expiresAt: number }>();

  return async (key) => {
    if (!isWellFormedAppKey(key)) return undefined;
    const hash = hashAppKey(key);
    const hit = cache.get(hash);
    if (hit && hit.expiresAt > now()) return hit.principal;
    cache.delete(hash);
    const record = await repository.findByHash(hash);
    if (record?.status !== 'active') return undefined;
    const principal: AppPrincipal = { kind: 'app', app_id: record.app_id, ...(record.org_id ? { org_id: record.org_id } : {}) };
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(hash, { principal, expiresAt: now() + ttlMs });
    return principal;
  };
}
