import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ENV } from '../lib/config/env';
import { localDataPath } from './paths';

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
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${newPageTokenSecret()}\n`, { mode: 0o600 });
    try {
      linkSync(temp, path);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return readFileSync(path, 'utf8').trim();
}
