import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { coreExportName, GROUP_SUBPATH, LIB_PACKAGE, libImportsOf } from './layer-bundle';

export interface FunctionBuildOptions {
  /** Repository root holding tsconfig.json. Defaults to the working directory (cdk and jest run there). */
  readonly root?: string;
  /**
   * The layer group the function belongs to (infra/layer-bundle.ts): its `@astral/lib/<dir>` imports
   * become imports of that group's core. Without it they stay `@astral/lib/<dir>`.
   */
  readonly group?: string;
}

/**
 * Bundles one handler into `<outDir>/index.mjs`: minified ESM for Node 24, with lib left to the layer
 * and the AWS SDK never bundled here, so each function asset stays a few KB
 * (docs/adr/0001-layer-as-prebundled-esm.md).
 *
 * With a group, every static `@astral/lib/<dir>` import is rewritten to the group's core
 * (`@astral/lib/group/<group>`, its names prefixed `<dir>$`), so the function loads one layer entry
 * instead of a facade per lib dir (docs/adr/0015-layer-layout.md, 0026). Lazily imported dirs
 * (`import('@astral/lib/contracts')`) keep their own entry.
 *
 * Synchronous because CDK's local bundling hook (`ILocalBundling.tryBundle`) is.
 */
export function buildFunction(entry: string, outDir: string, options: FunctionBuildOptions = {}): void {
  const root = resolve(options.root ?? process.cwd());
  // esbuild's sync API takes no plugins: the rewrite is an alias to a small facade source per lib dir.
  const scratch = options.group === undefined ? undefined : mkdtempSync(join(tmpdir(), 'astral-function-facades-'));
  try {
    const alias: Record<string, string> = {};
    if (scratch !== undefined && options.group !== undefined) {
      const core = `${LIB_PACKAGE}/${GROUP_SUBPATH}/${options.group}`;
      // The names this function takes from each dir: its group's core exports them (and, in a group of
      // its own, nothing else), so the facade lists exactly those.
      for (const [dir, names] of Object.entries(libImportsOf(entry, root).names)) {
        const file = join(scratch, `${dir}.mjs`);
        writeFileSync(file, facadeSource(scratch, core, dir, names));
        alias[`${LIB_PACKAGE}/${dir}`] = file;
      }
    }
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
      alias,
      external: [LIB_PACKAGE, '@aws-sdk/*'],
      logLevel: 'silent',
      write: true,
    });
    if (result.errors.length > 0) {
      throw new Error(`function build failed for ${entry}: ${result.errors.map((e) => e.text).join('; ')}`);
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A lib dir's facade for one function: its names from the core, and each namespace whose members
 * alone the function reads (`z.object`: ADR 0026) rebuilt from those members, in a module of its own
 * (`export * as z`), so the asset imports only them.
 */
function facadeSource(scratch: string, core: string, dir: string, names: readonly string[]): string {
  const plain: string[] = [];
  const members = new Map<string, string[]>();
  for (const name of names) {
    const [namespace = name, member] = name.split('.');
    if (member === undefined) plain.push(`${coreExportName(dir, name)} as ${name}`);
    else members.set(namespace, [...(members.get(namespace) ?? []), `${coreExportName(dir, name)} as ${member}`]);
  }
  const lines = plain.length > 0 ? [`export { ${plain.join(', ')} } from ${JSON.stringify(core)};`] : [];
  for (const [namespace, list] of members) {
    const file = join(scratch, `${dir}.${namespace}.mjs`);
    writeFileSync(file, `export { ${list.join(', ')} } from ${JSON.stringify(core)};\n`);
    lines.push(`export * as ${namespace} from ${JSON.stringify(file)};`);
  }
  return `${lines.join('\n')}\n`;
}
