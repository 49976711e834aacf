import { createHash } from 'node:crypto';
import { documentClient, tableName } from '../db/client';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from '../errors';
import { IdempotencyRepository, type IdempotencyScope } from '../repositories/idempotency-repository';
import type { TransactItem } from '../repositories/transact';
import type { HttpResponse } from './response';

/**
 * Loaded by the pipeline only for a request that carries an Idempotency-Key (a dynamic import), so no
 * cold start pays for it: docs/adr/0011-idempotency-keys.md.
 */

/** What a handler may do with the key: record its response in the same transaction as its resource. */
export interface IdempotentWrite {
  /**
   * A transaction item that records `response` as this request's answer. A handler that includes it
   * in the write creating its resource makes the two one: neither can exist without the other, even
   * if the function dies right after. The pipeline then records nothing itself.
   */
  record(response: HttpResponse): TransactItem;
}

/** JSON with object keys sorted at every level: equal parsed requests hash equal whatever the key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** The request as the endpoint understood it: path parameters and parsed body. */
export function requestHash(params: unknown, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical({ params: params ?? null, body: body ?? null })))
    .digest('base64url');
}

let repository: IdempotencyRepository | undefined;

/**
 * Runs `handle` at most once per key and request within the window: the first attempt claims the key,
 * runs, and records its response; a retry of the same request gets that response (same status and
 * body), one of another request a 409 `idempotency_key_reused`, and one while the first is still
 * running a 409 `idempotency_key_in_progress`. A failed attempt (an error) gives the key back.
 */
export async function runIdempotent(
  scope: IdempotencyScope,
  hash: string,
  handle: (write: IdempotentWrite) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  repository ??= new IdempotencyRepository(documentClient(), tableName());
  const store = repository;
  const claim = await store.claim(scope, hash);
  if (claim.outcome === 'replay') return claim.response;
  if (claim.outcome === 'reused') throw new IdempotencyKeyReusedError();
  if (claim.outcome === 'in_progress') throw new IdempotencyKeyInProgressError();
  let recorded = false;
  const write: IdempotentWrite = {
    record: (response) => {
      recorded = true;
      return store.completionItem(scope, claim.token, response);
    },
  };
  let response: HttpResponse;
  try {
    response = await handle(write);
  } catch (error) {
    // Best effort: if giving the key back fails too, its lease frees it for the retry a little later.
    await store.release(scope, claim.token).catch(() => undefined);
    throw error;
  }
  if (!recorded) await store.complete(scope, claim.token, response);
  return response;
}
