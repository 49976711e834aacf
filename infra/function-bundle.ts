import { buildSync } from 'esbuild';
import { join, resolve } from 'node:path';
import { LIB_PACKAGE } from './layer-bundle';

export interface FunctionBuildOptions {
  /** Repository root holding tsconfig.json. Defaults to the working directory (cdk and jest run there). */
  readonly root?: string;
}

/**
 * Bundles one handler into `<outDir>/index.mjs`: minified ESM for Node 24, with lib left to the layer
 * (`@astral/lib/<dir>` stays an import) and the AWS SDK never bundled here, so each function asset
 * stays a few KB (docs/adr/0001-layer-as-prebundled-esm.md). The options are the ones NodejsFunction
 * passed to the esbuild CLI, so the output (and its asset hash) is the same.
 *
 * Synchronous because CDK's local bundling hook (`ILocalBundling.tryBundle`) is.
 */
export function buildFunction(entry: string, outDir: string, options: FunctionBuildOptions = {}): void {
  const root = resolve(options.root ?? process.cwd());
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    outfile: join(outDir, 'index.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    external: [LIB_PACKAGE, '@aws-sdk/*'],
    logLevel: 'silent',
    write: true,
  });
  if (result.errors.length > 0) {
    throw new Error(`function build failed for ${entry}: ${result.errors.map((e) => e.text).join('; ')}`);
  }
}
