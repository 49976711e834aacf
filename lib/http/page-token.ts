import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { pooledRandomBytes } from '../random';
import { ENV, optionalEnv, requireEnv } from '../config/env';
import { InvalidPageTokenError } from '../errors';

/**
 * Opaque list tokens (api.md "Lists", "Page tokens are opaque"): the DynamoDB position, sealed with
 * AES-256-GCM under the deployment's page-token key (ADR 0010), with a fingerprint of the query that
 * produced it as associated data. So a token reveals no key names or values, and one that was
 * tampered with, forged, or made for another query (another owner, org, filter or route) fails
 * authentication and is the documented 400 naming `next_token`: never a page of something else, and
 * never a DynamoDB error. Layout, base64url: version (1 byte) | key id (4) | IV (12) | ciphertext | tag (16).
 */
const VERSION = 1;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES;
/** lib/http/fields.ts bounds `next_token` at 2,048 characters already; this guards direct callers. */
const MAX_TOKEN_CHARS = 2048;

export function queryFingerprint(query: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const canonical = JSON.stringify(
    Object.keys(query)
      .sort()
      .map((key) => [key, query[key] ?? null]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export interface PageTokens {
  /** The token for the page after `lastKey` (undefined when there is none). */
  encode(lastKey: Record<string, unknown> | undefined, fingerprint: string): string | undefined;
  /** The position a token of this query holds; anything else is a 400 naming `next_token`. */
  decode(token: string | undefined, fingerprint: string): Record<string, unknown> | undefined;
}

interface SealingKey {
  readonly id: Buffer;
  /**
   * A KeyObject, made once: given raw bytes, every createCipheriv first tests them for being a
   * KeyObject or a CryptoKey, which costs ~10 µs a call on Node 24 (measured: 14.6 µs per AES-GCM
   * seal with a Buffer key, 4.7 µs with a KeyObject).
   */
  readonly key: KeyObject;
}

/**
 * A secret of any length (the stack generates printable text) becomes a 256-bit key by SHA-256 under
 * a label; its id is another labelled hash, so tokens name the key that sealed them without revealing it.
 */
function sealingKey(secret: string): SealingKey {
  const digest = (label: string) => createHash('sha256').update(label).update('\0').update(secret, 'utf8').digest();
  return { key: createSecretKey(digest('astral page-token key')), id: digest('astral page-token key id').subarray(0, KEY_ID_BYTES) };
}

function seal(sealer: SealingKey, plaintext: string, fingerprint: string): string {
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealer.key, iv);
  cipher.setAAD(Buffer.from(fingerprint, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), sealer.id, iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext, or undefined for anything that is not a token this key sealed for this query. */
function open(keys: readonly SealingKey[], token: string, fingerprint: string): string | undefined {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  // One spelling per token: a changed character in the last one's unused low bits is a changed token too.
  if (raw.toString('base64url') !== token) return undefined;
  if (raw.length < HEADER_BYTES + TAG_BYTES || raw[0] !== VERSION) return undefined;
  const id = raw.subarray(1, 1 + KEY_ID_BYTES);
  const sealer = keys.find((k) => k.id.equals(id));
  if (!sealer) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealer.key, raw.subarray(1 + KEY_ID_BYTES, HEADER_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(fingerprint, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(HEADER_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A DynamoDB key as we seal it: a flat object of string attributes (every key attribute of the table is a string). */
function asStringKey(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Tokens sealed with `current` and opened with `current` or `previous`, so a key can rotate without
 * breaking the lists clients are paging through (ADR 0010).
 */
export function createPageTokens(secrets: { readonly current: string; readonly previous?: string | undefined }): PageTokens {
  const current = sealingKey(secrets.current);
  const accepted = secrets.previous ? [current, sealingKey(secrets.previous)] : [current];
  return {
    encode: (lastKey, fingerprint) => (lastKey ? seal(current, JSON.stringify(lastKey), fingerprint) : undefined),
    decode: (token, fingerprint) => {
      if (token === undefined) return undefined;
      const plaintext = open(accepted, token, fingerprint);
      const key = plaintext === undefined ? undefined : asStringKey(plaintext);
      if (!key) throw new InvalidPageTokenError();
      return key;
    },
  };
}

/** At module scope of a listing function: a missing key fails its cold start, not its first page. */
export function pageTokensFromEnv(): PageTokens {
  return createPageTokens({ current: requireEnv(ENV.pageTokenSecret), previous: optionalEnv(ENV.pageTokenPreviousSecret) });
}
