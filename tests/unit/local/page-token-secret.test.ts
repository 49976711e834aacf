import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePageTokenSecret } from '../../../local/page-token-secret';

/** `npm start`'s page-token secret (ADR 0010): kept beside the data, so tokens survive a restart exactly when the data does. */
let dir: string;
let saved: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'astral-page-token-'));
  saved = process.env.PAGE_TOKEN_SECRET;
  delete process.env.PAGE_TOKEN_SECRET;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.PAGE_TOKEN_SECRET;
  else process.env.PAGE_TOKEN_SECRET = saved;
});

it('creates a secret on first use and reads the same one on the next start, readable by the owner only', () => {
  const path = join(dir, 'page-token-secret');
  const first = loadOrCreatePageTokenSecret({ inMemory: false, path });
  expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(loadOrCreatePageTokenSecret({ inMemory: false, path })).toBe(first);
  expect(statSync(path).mode & 0o077).toBe(0);
});

it('uses a fresh secret with --in-memory (the data does not survive either) and writes nothing', () => {
  const path = join(dir, 'page-token-secret');
  const a = loadOrCreatePageTokenSecret({ inMemory: true, path });
  expect(loadOrCreatePageTokenSecret({ inMemory: true, path })).not.toBe(a);
  expect(() => statSync(path)).toThrow();
});

it('takes PAGE_TOKEN_SECRET when it is set', () => {
  process.env.PAGE_TOKEN_SECRET = 'from the environment';
  expect(loadOrCreatePageTokenSecret({ inMemory: false, path: join(dir, 'page-token-secret') })).toBe('from the environment');
});
