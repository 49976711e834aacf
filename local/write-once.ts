import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `content()` to `path` unless a file is already there, readable only by its owner. The file
 * appears whole or not at all (written beside it, then hard-linked into place), and when two processes
 * race (npm start and `npm run token` at once) the first link wins and both then read the same file.
 */
export function writeFileOnce(path: string, content: () => string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content(), { mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}
