import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHORIZER, ROUTES, STREAM_CONSUMERS } from '../../../functions/manifest';
import { LAYER_PACKAGE_DIR } from '../../../infra/layer-bundle';
import { containsJose, dynamicImportsOf, importReader, initLoad, loadedGraph, type LoadedGraph } from '../../../bench/import-graph';
import { artifactsOf, sizeOf, type Artifacts, type FunctionArtifact } from '../../../bench/lambda-layout';
import { sharedAssembly } from './shared';

/**
 * The artifact budgets of docs/benchmarks.md (tests/infra/budgets.test.ts checks the DynamoDB ones):
 * what each function asset and the layer weigh, and what each function loads, measured on the
 * shared synth's assembly, the very assets a deploy uploads.
 */
const FUNCTION_ASSET_BYTES = 10 * 1024;
/**
 * openapi-get carries the OpenAPI document (built at build time, ~67 KB minified today): its budget is
 * the document's, and only it may carry the document (below).
 */
const OPENAPI_FUNCTION = 'openapi-get';
const OPENAPI_ASSET_BYTES = 128 * 1024;
/**
 * One tree per function (docs/adr/0026-a-tree-per-function.md): each function's core exports only the
 * lib names it imports and carries its own copy of what it uses (the SDK, zod, middy, Powertools), so
 * the layer went from ~1,964 KB (a tree per kind of function, ADR 0015) to ~19,400 KB unzipped
 * (~6.8 MB zipped: the upload on a lib change). A cold start reads only its function's core and the
 * core's static chunks (bounded below); the budget keeps ~5% for lib growth: not room for a new
 * dependency (40 copies of it) nor for many new functions.
 */
const LAYER_BYTES = 20_400 * 1024;
/**
 * What a function may load at init (its asset, its core and the core's static chunks): ≤ 12 files,
 * where the first layout loaded 31–42 at ≈ 0.8 ms each (issue 14). The bytes bound is the largest
 * measured (~361 KB for a route, users-export; ~258 KB for the authorizer, ~268 KB for a stream
 * consumer; a route loaded ~420 KB when every route's core held every route's lib, ADR 0015) plus ~5%:
 * openapi-get, whose asset holds the OpenAPI document, is bounded by that plus the document's budget.
 */
const INIT_FILES = 12;
const INIT_BYTES = 380 * 1024;

let artifacts: Artifacts;

export function budgetArtifactsSuite(): void {
  beforeAll(() => {
    artifacts = artifactsOf(sharedAssembly());
  });

  describe('artifact sizes', () => {
    it('keeps every function asset (routes, authorizer, stream consumers) within 10 KB', () => {
      const sizes = Object.fromEntries(artifacts.functions.map((fn) => [fn.name, sizeOf(fn.assetDir)]));
      expect(Object.keys(sizes)).toEqual([...ROUTES.map((r) => r.name), AUTHORIZER.name, ...STREAM_CONSUMERS.map((c) => c.name)]);
      const over = Object.entries(sizes).filter(
        ([name, bytes]) => bytes > (name === OPENAPI_FUNCTION ? OPENAPI_ASSET_BYTES : FUNCTION_ASSET_BYTES),
      );
      expect(over).toEqual([]);
    });

    it('keeps the lib layer within its budget', () => {
      const bytes = sizeOf(artifacts.layerDir);
      expect(bytes).toBeGreaterThan(100 * 1024);
      expect(bytes).toBeLessThanOrEqual(LAYER_BYTES);
    });
  });

  describe('what each function loads', () => {
    // Walked once for every test here, with one import reader: the functions share the layer's chunks,
    // so each file is parsed once (walking each function on its own, per test, took ~40 s).
    let walked: { fn: FunctionArtifact; graph: LoadedGraph }[] | undefined;
    const graphs = (): { fn: FunctionArtifact; graph: LoadedGraph }[] => {
      const readImports = importReader();
      return (walked ??= artifacts.functions.map((fn) => ({ fn, graph: loadedGraph(fn.assetDir, artifacts.layerDir, readImports) })));
    };
    const joseFiles = new Map<string, boolean>();
    const holdsJose = (file: string): boolean => joseFiles.get(file) ?? joseFiles.set(file, containsJose(file)).get(file)!;

    it('loads jose in the authorizer only, and there only on its first bearer token', () => {
      const reaching = graphs()
        .filter(({ graph }) => [...graph.files, ...graph.lazyFiles].some(holdsJose))
        .map(({ fn }) => fn.name);
      // The markers do find jose (otherwise "nobody else loads it" would pass vacuously).
      expect(reaching).toEqual([AUTHORIZER.name]);
      const atColdStart = graphs()
        .filter(({ graph }) => graph.files.some(holdsJose))
        .map(({ fn }) => fn.name);
      expect(atColdStart).toEqual([]);
    });

    it('carries the OpenAPI document in openapi-get alone (no other function, nor the layer, loads it)', () => {
      // A key of the document that no source module under lib/ or functions/ spells.
      const marker = 'securitySchemes';
      const carrying = graphs()
        .filter(({ graph }) => [...graph.files, ...graph.lazyFiles].some((file) => readFileSync(file, 'utf8').includes(marker)))
        .map(({ fn }) => fn.name);
      expect(carrying).toEqual([OPENAPI_FUNCTION]);
    });

    it('builds no response schema at a cold start: lib/contracts is only ever imported on demand', () => {
      const contracts = (file: string) => file.endsWith(`${LAYER_PACKAGE_DIR}/contracts.mjs`);
      expect(
        graphs()
          .filter(({ graph }) => graph.files.some(contracts))
          .map(({ fn }) => fn.name),
      ).toEqual([]);
      // The routes do name it, in a dynamic import (their contracts' responses): the check above looks in the right place.
      const naming = artifacts.functions.filter((fn) => dynamicImportsOf(join(fn.assetDir, 'index.mjs')).includes('@astral/lib/contracts'));
      expect(naming.length).toBeGreaterThan(20);
    });

    it(`loads at most ${INIT_FILES} files and ${INIT_BYTES / 1024} KB at init: its own asset, its core and the core's chunks`, () => {
      const packageDir = join(artifacts.layerDir, LAYER_PACKAGE_DIR);
      const loads = graphs().map(({ fn, graph }) => ({ fn, graph, ...initLoad(graph) }));
      // Every function of the stack is walked, and each really reaches into the layer.
      expect(loads.map(({ fn }) => fn.name)).toEqual(artifacts.functions.map((fn) => fn.name));
      for (const { fn, graph } of loads) {
        // Through one layer entry, its own core: not a facade per lib dir.
        expect({ fn: fn.name, entries: graph.layerEntries }).toEqual({ fn: fn.name, entries: [`@astral/lib/group/${fn.layerGroup}`] });
        expect({
          fn: fn.name,
          outside: graph.files.filter((file) => !file.startsWith(packageDir) && !file.startsWith(fn.assetDir)),
        }).toEqual({
          fn: fn.name,
          outside: [],
        });
      }
      const bytesLimit = (fn: FunctionArtifact): number => INIT_BYTES + (fn.name === OPENAPI_FUNCTION ? OPENAPI_ASSET_BYTES : 0);
      const over = loads
        .filter(({ fn, files, bytes }) => files > INIT_FILES || bytes > bytesLimit(fn))
        .map(({ fn, files, bytes }) => `${fn.name}: ${files} files, ${Math.round(bytes / 1024)} KB`);
      expect(over).toEqual([]);
    });
  });
}
