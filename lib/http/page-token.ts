import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';

/**
 * Opaque list tokens: the DynamoDB position plus a fingerprint of the query that produced it. A
 * token replayed on another query (another owner, org or filter) is a 400, never a page of
 * something else. Base64url JSON: opaque to clients, not a secret (the key holds only ids the caller
 * could already see, and the query itself is rebuilt from the request).
 */
export function queryFingerprint(query: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const canonical = JSON.stringify(
    Object.keys(query)
      .sort()
      .map((key) => [key, query[key] ?? null]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodePageToken(lastKey: Record<string, unknown> | undefined, fingerprint: string): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify({ k: lastKey, q: fingerprint }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string | undefined, fingerprint: string): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError('invalid next_token', [{ path: 'next_token', message: 'not a token for this query' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { k, q } = parsed as { k?: unknown; q?: unknown };
  if (q !== fingerprint || typeof k !== 'object' || k === null || Array.isArray(k)) throw invalid();
  for (const value of Object.values(k)) if (typeof value !== 'string') throw invalid();
  return k as Record<string, unknown>;
}
