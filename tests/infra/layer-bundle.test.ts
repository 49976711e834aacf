import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { containsZodLocales, ZOD_LOCALE_MARKERS } from '../../bench/import-graph';
import { AUTHORIZER, ROUTES, STREAM_CONSUMERS } from '../../functions/manifest';
import { layerGroups } from '../../infra/astral-stack';
import {
  buildLayer,
  coreExportName,
  GROUP_SUBPATH,
  groupCores,
  LAYER_PACKAGE_DIR,
  libExports,
  libImportsOf,
  needsRequire,
} from '../../infra/layer-bundle';

/** Strings jose keeps through minification (its error codes); absent from everything else we bundle. */
const JOSE_MARKERS = ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWT_CLAIM_VALIDATION_FAILED'];

let outDir: string;
let packageDir: string;
let libDirs: string[];

interface Specifiers {
  relative: string[];
  /** The relative ones imported statically: loaded with the file. */
  staticRelative: string[];
  bare: string[];
}
const parsed = new Map<string, Specifiers>();

/**
 * Modules a file loads (static imports and re-exports, dynamic imports, require() calls), read by
 * esbuild's parser rather than a regex: the SDK's error messages quote `require("…")` in strings.
 * Each emitted file is parsed once: the closures of every entry walk the same chunks.
 */
function specifiersOf(file: string): Specifiers {
  let specifiers = parsed.get(file);
  if (!specifiers) parsed.set(file, (specifiers = parse(file)));
  return specifiers;
}

function parse(file: string): Specifiers {
  const result = buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    // Nothing is followed: only this file is parsed and every import is recorded as written.
    external: ['*'],
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  const found = imports.map((i) => i.path);
  return {
    relative: found.filter((s) => s.startsWith('.')),
    staticRelative: imports.filter((i) => i.kind === 'import-statement' && i.path.startsWith('.')).map((i) => i.path),
    bare: found.filter((s) => !s.startsWith('.')),
  };
}

/**
 * Every emitted file a module pulls in, transitively, by following relative imports between emitted
 * files: all of them (what it may ever load), or the static ones only (what loading it loads).
 */
function closureOf(entryFile: string, kind: 'relative' | 'staticRelative' = 'relative'): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiersOf(file)[kind]) visit(resolve(dirname(file), specifier));
  };
  visit(entryFile);
  return seen;
}
const staticClosureOf = (entryFile: string): Set<string> => closureOf(entryFile, 'staticRelative');

const entryFile = (dir: string) => join(packageDir, `${dir}.mjs`);
const emittedFiles = (): string[] =>
  readdirSync(packageDir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.mjs'))
    .map((f) => join(f.parentPath, f.name));
const groups = Object.keys(layerGroups());
const coreFile = (group: string) => join(packageDir, GROUP_SUBPATH, `${group}.mjs`);
const containsJose = (file: string) => JOSE_MARKERS.some((marker) => readFileSync(file, 'utf8').includes(marker));

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'astral-layer-'));
  // The layout the stack deploys: a core per function (docs/adr/0026-a-tree-per-function.md).
  buildLayer(outDir, { groups: layerGroups() });
  packageDir = join(outDir, LAYER_PACKAGE_DIR);
  libDirs = readdirSync(join(process.cwd(), 'lib'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(process.cwd(), 'lib', d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('buildLayer', () => {
  it('lays the package out where Lambda resolves layer packages: nodejs/node_modules/@astral/lib', () => {
    expect(LAYER_PACKAGE_DIR).toBe(join('nodejs', 'node_modules', '@astral', 'lib'));
    expect(existsSync(join(packageDir, 'package.json'))).toBe(true);
  });

  it('writes a package.json (ESM) whose exports map has ./<dir> → ./<dir>.mjs per lib dir and ./group/<group> per function group', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      name: string;
      type: string;
      exports: Record<string, string>;
    };
    expect(libDirs.length).toBeGreaterThan(3);
    expect(manifest.name).toBe('@astral/lib');
    expect(manifest.type).toBe('module');
    expect(manifest.exports).toEqual(
      Object.fromEntries(
        [
          ...libDirs.map((dir) => [`./${dir}`, `./${dir}.mjs`]),
          ...groups.map((group) => [`./${GROUP_SUBPATH}/${group}`, `./${GROUP_SUBPATH}/${group}.mjs`]),
        ].sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')),
      ),
    );
  });

  it('emits one .mjs entry per lib dir and nothing else at the top level', () => {
    const topLevel = readdirSync(packageDir)
      .filter((f) => f.endsWith('.mjs'))
      .sort();
    expect(topLevel).toEqual(libDirs.map((dir) => `${dir}.mjs`));
  });

  it("gives each function a core of its own that loads at most 12 files, none of another function's tree", () => {
    expect(groups).toEqual([...ROUTES, AUTHORIZER, ...STREAM_CONSUMERS].map((definition) => definition.name));
    for (const group of groups) {
      const closure = [...staticClosureOf(coreFile(group))].map((file) => relative(packageDir, file));
      // The core, plus the chunks it shares with what it imports on demand: with the function's own
      // file at most 12 at init (tests/infra/assembly/budget-artifacts.ts checks it per function).
      expect(closure.length).toBeGreaterThan(1);
      expect(closure.length).toBeLessThanOrEqual(11);
      expect(closure.filter((file) => file !== join(GROUP_SUBPATH, `${group}.mjs`) && !file.startsWith(join('chunks', group, '')))).toEqual(
        [],
      );
    }
  });

  it('keeps lib/contracts a bundle of its own, imported by no core (functions reach it only with import())', () => {
    for (const group of groups) expect(closureOf(coreFile(group)).has(entryFile('contracts'))).toBe(false);
    expect(staticClosureOf(entryFile('contracts'))).toEqual(new Set([entryFile('contracts')]));
  });

  it('creates `require` (the createRequire banner) only in the files that name it', () => {
    const files = emittedFiles();
    const withBanner = files.filter((file) => readFileSync(file, 'utf8').includes('createRequire(import.meta.url)'));
    // Some bundled CommonJS does call require (the banner is needed somewhere), but far from everywhere.
    expect(withBanner.length).toBeGreaterThan(0);
    expect(withBanner.length).toBeLessThan(files.length / 4);
    const stripped = (file: string) => readFileSync(file, 'utf8').replace(/^import \{ createRequire \}[^\n]*\n/, '');
    expect(files.filter((file) => !withBanner.includes(file) && needsRequire(stripped(file)))).toEqual([]);
  });

  it('bundles its dependencies (AWS SDK, zod, middy, jose): the only modules loaded from outside are Node built-ins', () => {
    const external = new Set(emittedFiles().flatMap((file) => specifiersOf(file).bare));
    expect(external.size).toBeGreaterThan(0);
    expect([...external].filter((specifier) => !isBuiltin(specifier))).toEqual([]);
  });

  it("keeps jose in the authorizer's tree, out of its core's static closure: loaded on the first bearer token", () => {
    const joseFiles = emittedFiles().filter(containsJose);
    const authorizerTree = closureOf(coreFile('authorizer'));
    // The markers do find jose in the authorizer's tree (otherwise the assertions below would pass vacuously).
    expect(joseFiles.filter((file) => authorizerTree.has(file)).length).toBeGreaterThan(0);
    expect([...staticClosureOf(coreFile('authorizer'))].filter((file) => joseFiles.includes(file))).toEqual([]);
    for (const group of groups.filter((g) => g !== 'authorizer')) {
      const leaked = [...closureOf(coreFile(group))].filter((file) => joseFiles.includes(file)).map((file) => relative(packageDir, file));
      expect({ group, jose: leaked }).toEqual({ group, jose: [] });
    }
  });

  it('lets a function that imports @astral/lib/http load it without jose', () => {
    const httpClosure = [...closureOf(entryFile('http'))];
    expect(httpClosure.length).toBeGreaterThan(1);
    expect(httpClosure.filter(containsJose)).toEqual([]);
  });

  it("keeps zod's locale messages out of the layer: schemas use zod/mini, tree-shaken, and lib/http writes the messages", () => {
    // The markers are zod's own text (otherwise "no file holds them" would pass vacuously).
    const locales = join(process.cwd(), 'node_modules', 'zod', 'v4', 'locales');
    const zodText = readFileSync(join(locales, 'id.js'), 'utf8') + readFileSync(join(locales, 'en.js'), 'utf8');
    for (const marker of ZOD_LOCALE_MARKERS) expect(zodText).toContain(marker);
    expect(
      emittedFiles()
        .filter(containsZodLocales)
        .map((file) => relative(packageDir, file)),
    ).toEqual([]);
  });

  it('reads the names a function takes from each lib dir from its bundle', () => {
    const imports = libImportsOf('functions/members-view/handler.ts');
    // Only names its sources (handler and contract) import (an unused name would be dropped by esbuild and not listed).
    const source = ['handler.ts', 'contract.ts']
      .map((file) => readFileSync(join(process.cwd(), 'functions', 'members-view', file), 'utf8'))
      .join('\n');
    const written = new Map<string, string[]>();
    for (const [, list = '', dir = ''] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@astral\/lib\/([^']+)'/g))
      written.set(dir, [
        ...(written.get(dir) ?? []),
        ...list
          .split(',')
          .map((item) => item.trim().replace(/^type\s+/, ''))
          .filter((item) => item !== ''),
      ]);
    expect(Object.keys(imports.names).length).toBeGreaterThan(2);
    for (const [dir, names] of Object.entries(imports.names))
      for (const name of names) {
        // A member of a namespace lib re-exports (`z.object`) is read off the imported namespace.
        const [namespace = name, member] = name.split('.');
        expect(written.get(dir) ?? []).toContain(namespace);
        if (member !== undefined) expect(source).toContain(name);
      }
    // zod/mini's builders come one by one: the contract reads a few of them off `z`, not the namespace whole.
    expect(imports.names.http).toEqual(expect.arrayContaining(['z.object']));
    expect(imports.names.http).not.toContain('z');
    expect(imports.lazy).toEqual(['contracts']);
  });

  it("exports from each function's core exactly the names the function imports (the rest of lib is tree-shaken away)", () => {
    const cores = groupCores(layerGroups());
    const script = `
      const groups = ${JSON.stringify(groups)};
      const names = {};
      for (const group of groups) names[group] = Object.keys(await import(${JSON.stringify(packageDir)} + '/${GROUP_SUBPATH}/' + group + '.mjs')).sort();
      process.stdout.write(JSON.stringify(names));`;
    const exported = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }),
    ) as Record<string, string[]>;
    for (const group of groups) {
      const expected = Object.entries(cores[group] ?? {}).flatMap(([dir, names]) => names.map((name) => coreExportName(dir, name)));
      expect({ group, names: exported[group] }).toEqual({ group, names: expected.sort() });
    }
    // Cut to the function: organizations-get takes a few names of lib/repositories, not all of them.
    const all = libExports();
    expect((cores['organizations-get']?.repositories ?? []).length).toBeGreaterThan(0);
    expect((cores['organizations-get']?.repositories ?? []).length).toBeLessThan((all.repositories ?? []).length / 4);
    // And openapi-get's tree (no table) is smaller than any table-backed route's.
    const bytes = (group: string) => [...staticClosureOf(coreFile(group))].reduce((sum, file) => sum + readFileSync(file).length, 0);
    expect(bytes('openapi-get')).toBeLessThan(bytes('users-me') / 2);
  });

  it('produces entries that Node 24 imports as ES modules (banner, chunks and exports all resolve)', () => {
    const script = `
      const dirs = ${JSON.stringify([...libDirs, ...groups.map((group) => `${GROUP_SUBPATH}/${group}`)])};
      const counts = {};
      for (const dir of dirs) counts[dir] = Object.keys(await import(${JSON.stringify(packageDir)} + '/' + dir + '.mjs')).length;
      process.stdout.write(JSON.stringify(counts));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const counts = JSON.parse(output) as Record<string, number>;
    const all = [...libDirs, ...groups.map((group) => `${GROUP_SUBPATH}/${group}`)];
    expect(Object.keys(counts).sort()).toEqual(all.sort());
    for (const dir of all) expect(counts[dir]).toBeGreaterThan(0);
  });
});
