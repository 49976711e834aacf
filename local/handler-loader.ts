import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './paths';

export type LambdaHandler = (event: never, context: never) => Promise<unknown>;

const loaded = new Map<string, Promise<LambdaHandler>>();

export const entryExists = (entry: string, rootDir: string = repoRoot()): boolean => existsSync(resolve(rootDir, entry));

/**
 * Imports a function's module on its first invocation, like a cold start: handlers read their
 * environment at module load, so this must run only after the local environment is in place.
 * A failed load is not cached, so fixing the file (or the environment) and retrying works.
 */
export function loadHandler(entry: string, rootDir: string = repoRoot()): Promise<LambdaHandler> {
  const path = resolve(rootDir, entry);
  let pending = loaded.get(path);
  if (!pending) {
    // Under tsx this is a native import of the .ts source; under jest, swc turns it into a require.
    pending = import(path).then((module: { handler?: unknown; default?: { handler?: unknown } }) => {
      const handler = module.handler ?? module.default?.handler;
      if (typeof handler !== 'function') throw new Error(`${entry} does not export a handler function`);
      return handler as LambdaHandler;
    });
    loaded.set(path, pending);
    pending.catch(() => loaded.delete(path));
  }
  return pending;
}
