import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { containsZodLocales, ZOD_LOCALE_MARKERS } from '../../bench/import-graph';
import { buildLayer, LAYER_PACKAGE_DIR } from '../../infra/layer-bundle';

/** Strings jose keeps through minification (its error codes); absent from everything else we bundle. */
const JOSE_MARKERS = ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWT_CLAIM_VALIDATION_FAILED'];

let outDir: string;
let packageDir: string;
let libDirs: string[];

const parsed = new Map<string, { relative: string[]; bare: string[] }>();

/**
 * Modules a file loads (static imports and re-exports, dynamic imports, require() calls), read by
 * esbuild's parser rather than a regex: the SDK's error messages quote `require("…")` in strings.
 * Each emitted file is parsed once: the closures of every entry walk the same chunks.
 */
function specifiersOf(file: string): { relative: string[]; bare: string[] } {
  let specifiers = parsed.get(file);
  if (!specifiers) parsed.set(file, (specifiers = parse(file)));
  return specifiers;
}

function parse(file: string): { relative: string[]; bare: string[] } {
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
  const found = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  return { relative: found.filter((s) => s.startsWith('.')), bare: found.filter((s) => !s.startsWith('.')) };
}

/** Every emitted file a module pulls in, transitively, by following relative imports between emitted files. */
function closureOf(entryFile: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiersOf(file).relative) visit(resolve(dirname(file), specifier));
  };
  visit(entryFile);
  return seen;
}

const entryFile = (dir: string) => join(packageDir, `${dir}.mjs`);
const emittedFiles = (): string[] => [
  ...readdirSync(packageDir)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(packageDir, f)),
  ...readdirSync(join(packageDir, 'chunks')).map((f) => join(packageDir, 'chunks', f)),
];
const containsJose = (file: string) => JOSE_MARKERS.some((marker) => readFileSync(file, 'utf8').includes(marker));

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'astral-layer-'));
  buildLayer(outDir);
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

  it('writes a package.json (ESM) whose exports map has one ./<dir> → ./<dir>.mjs per lib dir', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      name: string;
      type: string;
      exports: Record<string, string>;
    };
    expect(libDirs.length).toBeGreaterThan(3);
    expect(manifest.name).toBe('@astral/lib');
    expect(manifest.type).toBe('module');
    expect(manifest.exports).toEqual(Object.fromEntries(libDirs.map((dir) => [`./${dir}`, `./${dir}.mjs`])));
  });

  it('emits one .mjs entry per lib dir and nothing else at the top level', () => {
    const topLevel = readdirSync(packageDir)
      .filter((f) => f.endsWith('.mjs'))
      .sort();
    expect(topLevel).toEqual(libDirs.map((dir) => `${dir}.mjs`));
  });

  it('shares code between entries through chunks/ (splitting), instead of copying it into each', () => {
    const chunks = readdirSync(join(packageDir, 'chunks'));
    expect(chunks.length).toBeGreaterThan(0);
    const users = new Map<string, number>();
    for (const dir of libDirs)
      for (const file of closureOf(entryFile(dir)))
        if (file.includes(`${join(packageDir, 'chunks')}`)) users.set(file, (users.get(file) ?? 0) + 1);
    expect([...users.values()].some((count) => count >= 2)).toBe(true);
  });

  it('bundles its dependencies (AWS SDK, zod, middy, jose): the only modules loaded from outside are Node built-ins', () => {
    const external = new Set(emittedFiles().flatMap((file) => specifiersOf(file).bare));
    expect(external.size).toBeGreaterThan(0);
    expect([...external].filter((specifier) => !isBuiltin(specifier))).toEqual([]);
  });

  it('keeps jose inside auth: no other entry, and no chunk another entry imports, contains it', () => {
    const joseFiles = emittedFiles().filter(containsJose);
    // The markers do find jose (otherwise the assertions below would pass vacuously).
    expect(joseFiles.length).toBeGreaterThan(0);
    const authClosure = closureOf(entryFile('auth'));
    for (const file of joseFiles) expect(authClosure.has(file)).toBe(true);
    for (const dir of libDirs.filter((d) => d !== 'auth')) {
      const leaked = [...closureOf(entryFile(dir))].filter((file) => joseFiles.includes(file)).map((file) => relative(packageDir, file));
      expect({ entry: dir, jose: leaked }).toEqual({ entry: dir, jose: [] });
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

  it('produces entries that Node 24 imports as ES modules (banner, chunks and exports all resolve)', () => {
    const script = `
      const dirs = ${JSON.stringify(libDirs)};
      const counts = {};
      for (const dir of dirs) counts[dir] = Object.keys(await import(${JSON.stringify(packageDir)} + '/' + dir + '.mjs')).length;
      process.stdout.write(JSON.stringify(counts));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const counts = JSON.parse(output) as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(libDirs);
    for (const dir of libDirs) expect(counts[dir]).toBeGreaterThan(0);
  });
});
