import { buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The package name functions import lib by (`@astral/lib/<dir>`); tsconfig and jest map it to the sources. */
export const LIB_PACKAGE = '@astral/lib';

/** Where Lambda's Node.js runtime looks for a layer's packages (the layer is unpacked under /opt). */
export const LAYER_PACKAGE_DIR = join('nodejs', 'node_modules', '@astral', 'lib');

/**
 * The lib dir functions reach only through a dynamic `import()` (response shapes, for the OpenAPI
 * generator: docs/adr/0009-endpoint-contracts-and-openapi.md). It stays an entry of its own so that
 * the lazy import loads it and what it shares, never a group's whole core.
 */
export const LAZY_LIB_DIRS: readonly string[] = ['contracts'];

/** Where a group's core lives in the package: `@astral/lib/group/<name>` → `group/<name>.mjs`. */
export const GROUP_SUBPATH = 'group';

/** The chunks of the per-dir entries (`<dir>.mjs`): `chunks/dirs/`, apart from every group's. */
const DIRS_CHUNKS = 'dirs';

/**
 * Functions grouped in the layer: group name → the functions' handler sources, relative to the root.
 * Each group gets one core exporting exactly the lib names its functions import. The stack gives every
 * function a group of its own (docs/adr/0026-a-tree-per-function.md).
 */
export type LayerGroups = Readonly<Record<string, readonly string[]>>;

export interface LayerBuildOptions {
  /** Repository root holding lib/ and tsconfig.json. Defaults to the working directory (cdk and jest run there). */
  readonly root?: string;
  /**
   * The function groups to build cores for. Without groups (the bench's floor layer) the layer is one
   * entry per lib dir with shared chunks, as ADR 0001 first laid it out.
   */
  readonly groups?: LayerGroups;
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
 * The name a group core exports `<name>` of lib dir `<dir>` under: dirs may export the same name. A
 * member of a namespace the dir re-exports (`z.object`: ADR 0026) becomes `<dir>$z$object`.
 */
export const coreExportName = (dir: string, name: string): string => `${dir}$${name.replace('.', '$')}`;

/**
 * The namespaces each lib dir's index re-exports whole (`export * as z from './zod-mini'` in
 * lib/http): lib dir → namespace → the module it stands for. A function that only reads members of
 * one (`z.object(…)`) takes those members alone, so its tree holds only the zod/mini builders it calls.
 */
export function libNamespaces(root: string = process.cwd()): Readonly<Record<string, Readonly<Record<string, string>>>> {
  const found: Record<string, Record<string, string>> = {};
  for (const [dir, index] of Object.entries(libEntryPoints(root))) {
    const source = readFileSync(index, 'utf8');
    for (const [, name = '', from = ''] of source.matchAll(/export\s*\*\s*as\s+([\w$]+)\s+from\s+'(\.[^']+)'/g))
      (found[dir] ??= {})[name] = `${resolve(dirname(index), from)}.ts`;
  }
  return found;
}

const exportsCache = new Map<string, Readonly<Record<string, readonly string[]>>>();

/**
 * The runtime exports of every lib dir (types erased), read from esbuild's metafile. Cached per root:
 * a synth asks once for the layer and once per function, and lib does not change during one.
 */
export function libExports(root: string = process.cwd()): Readonly<Record<string, readonly string[]>> {
  const key = resolve(root);
  const cached = exportsCache.get(key);
  if (cached) return cached;
  const entryPoints = libEntryPoints(key);
  const result = buildSync({
    entryPoints,
    absWorkingDir: key,
    outdir: join(key, 'lib-exports'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    tsconfig: join(key, 'tsconfig.json'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const byEntry = new Map(
    Object.values(result.metafile.outputs).flatMap((output) =>
      output.entryPoint ? [[resolve(key, output.entryPoint), output.exports]] : [],
    ),
  );
  const exports = Object.fromEntries(
    Object.entries(entryPoints).map(([dir, file]) => [dir, [...(byEntry.get(resolve(file)) ?? [])].sort()]),
  );
  exportsCache.set(key, exports);
  return exports;
}

export interface LibImports {
  /** Lib dirs imported statically: loaded at init. */
  readonly static: readonly string[];
  /** Lib dirs imported with `import()`: loaded on first use. */
  readonly lazy: readonly string[];
  /** The names imported statically from each lib dir: what the function's tree must export. */
  readonly names: Readonly<Record<string, readonly string[]>>;
}

const importsCache = new Map<string, LibImports>();

// esbuild prints an external module's imports as written, one statement each:
// `import { a, b as c } from "@astral/lib/http";` (a namespace import is `import * as x from …`).
const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*"@astral\/lib\/([^"]+)"/g;
const OTHER_IMPORT = /import\s+(?:\*\s*as\s+[\w$]+|[\w$]+)\s*(?:,\s*\{[^}]*\})?\s*from\s*"@astral\/lib\/([^"]+)"/g;

/**
 * The lib dirs a function's sources import (`@astral/lib/<dir>`) and the names it takes from each,
 * from its entry's bundle: esbuild keeps lib external and writes exactly the imports the bundle uses.
 * Cached per entry: a synth asks once for the layer and once for the function asset.
 */
export function libImportsOf(entry: string, root: string = process.cwd()): LibImports {
  const key = `${resolve(root)}\0${entry}`;
  const cached = importsCache.get(key);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [resolve(root, entry)],
    absWorkingDir: resolve(root),
    bundle: true,
    format: 'esm',
    platform: 'node',
    // Lib stays an import (tsconfig's paths would otherwise bundle it); so do other packages.
    external: [LIB_PACKAGE],
    packages: 'external',
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const found = { static: new Set<string>(), lazy: new Set<string>() };
  for (const input of Object.values(result.metafile.inputs))
    for (const imported of input.imports) {
      if (!imported.path.startsWith(`${LIB_PACKAGE}/`)) continue;
      const dir = imported.path.slice(LIB_PACKAGE.length + 1);
      if (imported.kind === 'import-statement') found.static.add(dir);
      else if (imported.kind === 'dynamic-import') found.lazy.add(dir);
    }
  const code = result.outputFiles?.[0]?.text ?? '';
  const other = [...code.matchAll(OTHER_IMPORT)].map((match) => match[1]);
  if (other.length > 0)
    throw new Error(`${entry}: import names from @astral/lib/${other.join(', ')} (the layer exports only the names a function takes)`);
  const names = namesTaken(code, libNamespaces(root));
  const imports: LibImports = {
    static: [...found.static].sort(),
    lazy: [...found.lazy].sort(),
    names: Object.fromEntries([...names].sort(([a], [b]) => a.localeCompare(b)).map(([dir, set]) => [dir, [...set].sort()])),
  };
  importsCache.set(key, imports);
  return imports;
}

/**
 * The names a bundle imports from each lib dir. A namespace the dir re-exports (`z`) is replaced by
 * the members the code reads off it (`z.object`, `z.string`), unless the code uses it otherwise (passes
 * it on, destructures it, indexes it): then the whole namespace.
 */
function namesTaken(code: string, namespaces: ReturnType<typeof libNamespaces>): Map<string, Set<string>> {
  const body = code.replace(NAMED_IMPORT, '');
  const names = new Map<string, Set<string>>();
  for (const [, list = '', dir = ''] of code.matchAll(NAMED_IMPORT)) {
    const set = names.get(dir) ?? new Set<string>();
    for (const item of list.split(',')) {
      const [name, local = name] = item.trim().split(/\s+as\s+/);
      if (!name || !local) continue;
      const members = namespaces[dir]?.[name] === undefined ? undefined : membersRead(body, local);
      if (members === undefined) set.add(name);
      else for (const member of members) set.add(`${name}.${member}`);
    }
    names.set(dir, set);
  }
  return names;
}

/** The properties read off `local` (`local.member`), or undefined if `local` is ever used otherwise. */
function membersRead(code: string, local: string): string[] | undefined {
  const members = new Set<string>();
  const escaped = local.replace(/\$/g, '\\$');
  for (const match of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])(?:\\s*\\.\\s*([A-Za-z_$][\\w$]*))?`, 'g'))) {
    if (match[1] === undefined) return undefined;
    members.add(match[1]);
  }
  return [...members];
}

/** What a group's core exports: lib dir → the names its functions take from it. */
export type CoreExports = Readonly<Record<string, readonly string[]>>;

/**
 * What each group's core exports: the union of the names its functions import statically from each
 * lib dir (a dir reached with `import()` other than the lazy ones: all its names). Nothing else, so
 * esbuild tree-shakes the rest of lib out of the function's tree (docs/adr/0026-a-tree-per-function.md).
 */
export function groupCores(groups: LayerGroups, root: string = process.cwd()): Record<string, CoreExports> {
  const all = libExports(root);
  const cores: Record<string, CoreExports> = {};
  for (const [group, entries] of Object.entries(groups)) {
    const core = new Map<string, Set<string>>();
    const add = (dir: string, names: readonly string[]) => {
      const set = core.get(dir) ?? new Set<string>();
      for (const name of names) set.add(name);
      core.set(dir, set);
    };
    for (const entry of entries) {
      const imports = libImportsOf(entry, root);
      const eager = imports.static.filter((dir) => LAZY_LIB_DIRS.includes(dir));
      if (eager.length > 0) throw new Error(`${entry}: import ${eager.join(', ')} only with import() (docs/adr/0009)`);
      for (const [dir, names] of Object.entries(imports.names)) add(dir, names);
      for (const dir of imports.lazy) if (!LAZY_LIB_DIRS.includes(dir)) add(dir, all[dir] ?? []);
    }
    cores[group] = Object.fromEntries([...core].sort(([a], [b]) => a.localeCompare(b)).map(([dir, set]) => [dir, [...set].sort()]));
  }
  return cores;
}

// Some bundled CommonJS dependencies call require() for Node built-ins; ESM has no require. Only the
// files that name `require` as a free identifier get it (creating it costs each file ~50 µs, and
// every file of the old layout paid it).
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n";
const NAMES_REQUIRE = /(?<![\w$.])require(?![\w$])/;

/** Whether an emitted file needs the `createRequire` banner: it mentions `require` other than as a property. */
export const needsRequire = (code: string): boolean => NAMES_REQUIRE.test(code);

const SHARED_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  // Non-ASCII text as UTF-8 rather than \u escapes: smaller unzipped (~8% when zod classic's locales
  // were bundled), cold starts unchanged (docs/benchmarks.md). Node reads ES modules as UTF-8.
  charset: 'utf8',
  logLevel: 'silent',
};

function writeOutputs(files: readonly OutputFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, needsRequire(file.text) ? REQUIRE_BANNER + file.text : file.text);
  }
}

/**
 * Builds the lib layer into `<outDir>/nodejs/node_modules/@astral/lib` (docs/adr/0015-layer-layout.md).
 *
 * With groups, each group's functions load `group/<name>.mjs` (one core re-exporting every lib dir the
 * group imports) and its static chunks: ~11 files at a cold start, where one entry per lib dir split
 * into ~50 chunks made each function read 31–42 (≈ 0.8 ms each). `<dir>.mjs` stays for every lib
 * dir, as a facade over a core that holds it. Lazy imports keep their own chunks: jose (on the first
 * bearer token), idempotency, the SDK's credential providers; lib/contracts is a bundle of its own.
 *
 * Third-party packages (AWS SDK, zod, middy, jose) are bundled in rather than read from the
 * runtime's node_modules, because resolving and compiling hundreds of loose CommonJS files is what
 * makes a cold start slow.
 *
 * Synchronous because CDK's local bundling hook (`ILocalBundling.tryBundle`) is.
 */
export function buildLayer(outDir: string, options: LayerBuildOptions = {}): void {
  const root = resolve(options.root ?? process.cwd());
  const packageDir = join(outDir, LAYER_PACKAGE_DIR);
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  const entryPoints = libEntryPoints(root);
  const exportsMap = options.groups ? buildGrouped(root, packageDir, options.groups) : buildPerDir(root, packageDir, entryPoints);
  const packageJson = { name: LIB_PACKAGE, version: '0.0.0', private: true, type: 'module', exports: exportsMap };
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
}

function build(
  root: string,
  packageDir: string,
  entryPoints: Record<string, string>,
  { splitting, chunkDir = 'chunks' }: { splitting: boolean; chunkDir?: string },
): void {
  const result = buildSync({
    ...SHARED_BUILD_OPTIONS,
    entryPoints,
    absWorkingDir: root,
    outdir: packageDir,
    splitting,
    tsconfig: join(root, 'tsconfig.json'),
    chunkNames: `${chunkDir}/[name]-[hash]`,
    outExtension: { '.js': '.mjs' },
    write: false,
  });
  if (result.errors.length > 0) throw new Error(`lib layer build failed: ${result.errors.map((e) => e.text).join('; ')}`);
  writeOutputs(result.outputFiles ?? []);
}

/** One entry per lib dir, shared code in chunks (the floor's layout; ADR 0001). */
function buildPerDir(root: string, packageDir: string, entryPoints: Record<string, string>): Record<string, string> {
  build(root, packageDir, entryPoints, { splitting: true });
  return Object.fromEntries(Object.keys(entryPoints).map((dir) => [`./${dir}`, `./${dir}.mjs`]));
}

/**
 * A core's source: each name re-exported from its lib dir's index as `<dir>$<name>`, and each member
 * of a namespace the dir re-exports (`z.object`) straight from the namespace's module, so that only
 * the members the functions read are kept.
 */
function coreSource(core: CoreExports, entryPoints: Record<string, string>, namespaces: ReturnType<typeof libNamespaces>): string {
  const statements: string[] = [];
  for (const [dir, names] of Object.entries(core)) {
    const bySource = new Map<string, string[]>();
    for (const name of names) {
      const [namespace, member] = name.split('.');
      const from = member === undefined ? entryPoints[dir] : namespaces[dir]?.[namespace ?? ''];
      if (from === undefined) throw new Error(`lib/${dir}: no module for ${name}`);
      bySource.set(from, [...(bySource.get(from) ?? []), `${member ?? name} as ${coreExportName(dir, name)}`]);
    }
    for (const [from, list] of bySource) statements.push(`export { ${list.join(', ')} } from ${JSON.stringify(from)};`);
  }
  return `${statements.join('\n')}\n`;
}

/**
 * One tree per group (docs/adr/0026-a-tree-per-function.md): `group/<name>.mjs`, the core exporting
 * the names its functions import from each lib dir (as `<dir>$<name>`) and nothing more, bundled with
 * splitting on its own, so esbuild tree-shakes the rest of lib away and what the core imports on
 * demand (jose on the first bearer token, idempotency, the SDK's credential providers) stays in lazy
 * chunks under `chunks/<name>/`.
 *
 * Why not one build with every core as an entry: esbuild splits code by the set of entries (and
 * dynamic imports) that reach it, so cores sharing lib and the SDK split it into ~20 chunks and a
 * route loaded 19 files (measured, ADR 0015); built apart, a function loads ~11. The price is that
 * the trees do not share files: each carries its own copy of the SDK. A process loads one tree, so no
 * module is ever instantiated twice in it.
 *
 * lib/contracts is a standalone bundle: only `import()`ed, by the response shapes that the OpenAPI
 * generator reads from source (docs/adr/0009); made part of a tree, the code it shares with the core
 * split into more chunks that the function loaded at init.
 *
 * `<dir>.mjs` (for whoever imports lib by name: the bench's harness, tests) is one more tree, ADR
 * 0001's: an entry per lib dir with their shared chunks under `chunks/dirs/`. No function loads it.
 */
function buildGrouped(root: string, packageDir: string, groups: LayerGroups): Record<string, string> {
  const entryPoints = libEntryPoints(root);
  const cores = groupCores(groups, root);
  // esbuild's sync API takes no virtual modules (plugins need the async one): each core's source is
  // written to a scratch directory.
  const scratch = mkdtempSync(join(tmpdir(), 'astral-layer-cores-'));
  try {
    const namespaces = libNamespaces(root);
    for (const [group, core] of Object.entries(cores)) {
      const file = join(scratch, `${group}.ts`);
      writeFileSync(file, coreSource(core, entryPoints, namespaces));
      build(root, packageDir, { [`${GROUP_SUBPATH}/${group}`]: file }, { splitting: true, chunkDir: `chunks/${group}` });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const eager = Object.fromEntries(Object.entries(entryPoints).filter(([dir]) => !LAZY_LIB_DIRS.includes(dir)));
  build(root, packageDir, eager, { splitting: true, chunkDir: `chunks/${DIRS_CHUNKS}` });
  const lazy = Object.fromEntries(LAZY_LIB_DIRS.flatMap((dir) => (entryPoints[dir] ? [[dir, entryPoints[dir]]] : [])));
  build(root, packageDir, lazy, { splitting: false });
  return Object.fromEntries(
    [
      ...Object.keys(entryPoints).map((dir) => [`./${dir}`, `./${dir}.mjs`] as const),
      ...Object.keys(cores).map((group) => [`./${GROUP_SUBPATH}/${group}`, `./${GROUP_SUBPATH}/${group}.mjs`] as const),
    ].sort(([a], [b]) => a.localeCompare(b)),
  );
}
