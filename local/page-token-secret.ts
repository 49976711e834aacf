import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ENV } from '../lib/config/env';
import { localDataPath } from './paths';
import { writeFileOnce } from './write-once';

/** A fresh secret, as the stack's generated one would be (ADR 0010): 256 random bits. */
export const newPageTokenSecret = (): string => randomBytes(32).toString('base64url');

export const pageTokenSecretPath = (): string => localDataPath('page-token-secret');

/**
 * The secret `npm start` seals page tokens with: PAGE_TOKEN_SECRET when set, else one kept beside the
 * data (so tokens survive a restart exactly when the data does), else, with `--in-memory`, a fresh one.
 * Two processes may create the file at once: written to a private temp file and hard-linked into place.
 */
export function loadOrCreatePageTokenSecret(options: { readonly inMemory: boolean; readonly path?: string }): string {
  const fromEnv = process.env[ENV.pageTokenSecret];
  if (fromEnv) return fromEnv;
  if (options.inMemory) return newPageTokenSecret();
  const path = options.path ?? pageTokenSecretPath();
  writeFileOnce(path, () => `${newPageTokenSecret()}\n`);
  return readFileSync(path, 'utf8').trim();
}
