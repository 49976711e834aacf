import { buildSync } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LAYER_PACKAGE_DIR, LIB_PACKAGE } from '../infra/layer-bundle';

/** Strings jose keeps through minification (its error codes), absent from everything else we bundle. */
export const JOSE_MARKERS = ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWT_CLAIM_VALIDATION_FAILED'];

export const containsJose = (file: string): boolean => {
  const source = readFileSync(file, 'utf8');
  return JOSE_MARKERS.some((marker) => source.includes(marker));
};

/**
 * A file's static imports (what loading it loads), read by esbuild's parser rather than a regex: the
 * SDK's messages quote `import` and `require` in strings. Dynamic imports load later, on first use.
 */
export function staticImportsOf(file: string): string[] {
  return importsOf(file).static;
}

/** A file's dynamic `import()`s: what it loads later, on first use. */
export function dynamicImportsOf(file: string): string[] {
  return importsOf(file).dynamic;
}

export interface FileImports {
  readonly static: readonly string[];
  readonly dynamic: readonly string[];
}

/** Both kinds of import from one parse of the file. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const result = buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    external: ['*'],
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  return {
    static: imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
    dynamic: imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
  };
}

/** Reads a file's imports; `importReader()` gives one that parses each file once. */
export type ImportReader = (file: string) => FileImports;

/**
 * Parses each file once and remembers it: the graphs of every function of a stack walk the same
 * layer chunks (~1,500 visits of ~100 files), so sharing one reader across them saves ~95% of the
 * parses. Only for files that do not change while it is in use (a synthesized assembly's assets).
 */
export function importReader(): ImportReader {
  const cache = new Map<string, FileImports>();
  return (file) => {
    let imports = cache.get(file);
    if (!imports) cache.set(file, (imports = importsOf(file)));
    return imports;
  };
}

export interface LoadedGraph {
  /** Every file importing the function's module loads (its own files and the layer's). */
  readonly files: readonly string[];
  /** The `@astral/lib/<dir>` entry points the function imports. */
  readonly libImports: readonly string[];
  /** Layer entries loaded (files the package's exports map names), as `@astral/lib/<subpath>`. */
  readonly layerEntries: readonly string[];
  /** Files the function may load later, through a dynamic `import()` of a loaded file (and what they load). */
  readonly lazyFiles: readonly string[];
}

/**
 * What importing a function's `index.mjs` loads, from the files themselves: the function asset's
 * static imports, `@astral/lib/<dir>` resolved to the layer's `<dir>.mjs`, and every chunk those
 * import in turn. Node built-ins are not followed. Pass one `importReader()` to the graphs of every
 * function of an assembly so each file is parsed once.
 */
export function loadedGraph(taskDir: string, layerDir: string, readImports: ImportReader = importReader()): LoadedGraph {
  const packageDir = join(layerDir, LAYER_PACKAGE_DIR);
  // Resolved through the package's exports map, as Node does: `@astral/lib/<subpath>` → its file.
  const exportsMap = packageExports(packageDir);
  const entryFiles = new Map(
    Object.entries(exportsMap).map(([subpath, file]) => [resolve(packageDir, file), `${LIB_PACKAGE}/${subpath.slice(2)}`]),
  );
  const seen = new Set<string>();
  const libImports = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of readImports(file).static) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (specifier.startsWith(`${LIB_PACKAGE}/`)) {
        libImports.add(specifier);
        const target = exportsMap[`./${specifier.slice(LIB_PACKAGE.length + 1)}`];
        if (target === undefined) throw new Error(`${file}: ${specifier} is not exported by the layer's package`);
        visit(resolve(packageDir, target));
      }
    }
  };
  visit(join(taskDir, 'index.mjs'));
  const files = [...seen];
  const lazyRoots = files.flatMap((file) =>
    readImports(file)
      .dynamic.filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(dirname(file), specifier)),
  );
  for (const root of lazyRoots) visit(root);
  const lazyFiles = [...seen].filter((file) => !files.includes(file));
  return {
    files,
    lazyFiles,
    libImports: [...libImports].sort(),
    layerEntries: files.flatMap((file) => entryFiles.get(file) ?? []).sort(),
  };
}

/** The layer package's `exports` map (subpath → file), from its package.json. */
export function packageExports(packageDir: string): Readonly<Record<string, string>> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
  return manifest.exports ?? {};
}

/** What a function loads at init: its files and their bytes (the function's own asset included). */
export function initLoad(graph: LoadedGraph): { files: number; bytes: number } {
  return { files: graph.files.length, bytes: graph.files.reduce((sum, file) => sum + statSync(file).size, 0) };
}

/**
 * Messages from zod's locales: Indonesian, one of the ~60 bundles only the `z.locales` namespace
 * reaches, and English, which zod classic installs when imported. lib/http writes its own messages,
 * so a file holding either carries code its function never calls.
 */
export const ZOD_LOCALE_MARKERS = ['Input tidak valid', 'Too big: expected '];

export const containsZodLocales = (file: string): boolean => {
  const source = readFileSync(file, 'utf8');
  return ZOD_LOCALE_MARKERS.some((marker) => source.includes(marker));
};

/**
 * Bytes zod's locales add to a bundle of the `z` namespace (minified, UTF-8, as the layer is built):
 * the bundle with and without them. The layer keeps them because `@astral/lib/http` re-exports `z`
 * whole, so nothing on it can be tree-shaken.
 */
export async function zodLocaleBytes(): Promise<number> {
  const { build } = await import('esbuild');
  const options = {
    stdin: { contents: "export { z } from 'zod';", resolveDir: process.cwd(), loader: 'js' as const },
    bundle: true,
    write: false,
    format: 'esm' as const,
    platform: 'node' as const,
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    charset: 'utf8' as const,
    legalComments: 'none' as const,
    logLevel: 'silent' as const,
  };
  const stubLocales = {
    name: 'stub-zod-locales',
    setup(pluginBuild: import('esbuild').PluginBuild) {
      pluginBuild.onResolve({ filter: /locales\/index\.js$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {}', loader: 'js' }));
    },
  };
  const [full, stubbed] = await Promise.all([build(options), build({ ...options, plugins: [stubLocales] })]);
  const size = (result: { outputFiles?: { contents: Uint8Array }[] | undefined }): number =>
    result.outputFiles?.reduce((sum, file) => sum + file.contents.length, 0) ?? 0;
  return size(full) - size(stubbed);
}
