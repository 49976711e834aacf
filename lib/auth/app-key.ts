import { createHash, randomBytes } from 'node:crypto';

/** App keys are API Gateway API key values: 20–128 chars. Prefix makes leaked keys greppable. */
const APP_KEY_PREFIX = 'astral_';
const APP_KEY_PATTERN = /^astral_[A-Za-z0-9_-]{43}$/;

export function generateAppKey(): string {
  return `${APP_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Rejects malformed keys before any lookup, so garbage never reaches the table. */
export function isWellFormedAppKey(key: string): boolean {
  return APP_KEY_PATTERN.test(key);
}

/** Keys are stored only as this hash; the clear key exists only with its holder. */
export function hashAppKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
