import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The package name functions import lib by (`@astral/lib/<dir>`); tsconfig and jest map it to the sources. */
export const LIB_PACKAGE = '@astral/lib';

/** Where Lambda's Node.js runtime looks for a layer's packages (the layer is unpacked under /opt). */
export const LAYER_PACKAGE_DIR = join('nodejs', 'node_modules', '@astral', 'lib');

export interface LayerBuildOptions {
  /** Repository root holding lib/ and tsconfig.json. Defaults to the working directory (cdk and jest run there). */
  readonly root?: string;
}

/** Every `lib/<dir>/index.ts` is one entry point, exported as `@astral/lib/<dir>`. */
export function libEntryPoints(root: string = process.cwd()): Record<string, string> {
  const libDir = join(root, 'lib');
  const entries: Record<string, string> = {};
  for (const dirent of readdirSync(libDir, { withFileTypes: true })) {
    if (!dirent.isDirectory()) continue;
    const index = join(libDir, dirent.name, 'index.ts');
    if (existsSync(index)) entries[dirent.name] = index;
  }
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Builds the lib layer into `<outDir>/nodejs/node_modules/@astral/lib`: one pre-bundled ESM file per
 * lib dir plus shared chunks (docs/adr/0001-layer-as-prebundled-esm.md).
 *
 * Splitting matters for cold starts: a function that imports `@astral/lib/http` loads http.mjs and
 * the chunks it imports, never the code only `auth` needs (jose). Third-party packages (AWS SDK,
 * zod, middy, jose) are bundled in rather than read from the runtime's node_modules, because
 * resolving and compiling hundreds of loose CommonJS files is what makes a cold start slow.
 *
 * Synchronous because CDK's local bundling hook (`ILocalBundling.tryBundle`) is.
 */
export function buildLayer(outDir: string, options: LayerBuildOptions = {}): void {
  const root = resolve(options.root ?? process.cwd());
  const packageDir = join(outDir, LAYER_PACKAGE_DIR);
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });

  const entryPoints = libEntryPoints(root);
  const result = buildSync({
    entryPoints,
    absWorkingDir: root,
    outdir: packageDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    tsconfig: join(root, 'tsconfig.json'),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // Some bundled CommonJS dependencies call require() for Node built-ins; ESM has no require.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    legalComments: 'none',
    // Non-ASCII text as UTF-8 rather than \u escapes: smaller unzipped (~8% when zod classic's locales
    // were bundled), cold starts unchanged (docs/benchmarks.md). Node reads ES modules as UTF-8.
    charset: 'utf8',
    logLevel: 'silent',
    write: true,
  });
  if (result.errors.length > 0) {
    throw new Error(`lib layer build failed: ${result.errors.map((e) => e.text).join('; ')}`);
  }

  const packageJson = {
    name: LIB_PACKAGE,
    version: '0.0.0',
    private: true,
    type: 'module',
    exports: Object.fromEntries(Object.keys(entryPoints).map((dir) => [`./${dir}`, `./${dir}.mjs`])),
  };
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
}
