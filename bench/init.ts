/**
 * `npm run bench:init`: the cold-start stage of the bench on its own (docs/adr/0015-layer-layout.md, 0026).
 * Synthesizes the stack, lays every function out as Lambda does (asset as /var/task, layer as /opt)
 * and prints, per function, the files and KB its module loads at init, its import time and the ratios
 * to the floor and the platform floor (bench/lambda-layout.ts). No DynamoDB Local and no stream poller run meanwhile: nothing competes with the fresh
 * Node processes for the two cores.
 *
 *   npm run bench:init                 # 15 runs per artifact
 *   npm run bench:init -- --quick      # 5 runs
 *   npm run bench:init -- --json out   # and write the rows as JSON
 */
import { writeFileSync } from 'node:fs';
import { ENV } from '../lib/config/env';
import { measureColdStarts, pairedRatio, type ColdStart } from './cold-start';
import {
  buildFloorArtifact,
  buildPlatformFloorArtifact,
  layOut,
  PLATFORM_FLOOR,
  sizeOf,
  synthesizeArtifacts,
  type LambdaRoot,
} from './lambda-layout';
import { markdownTable } from './report';
import { coldLimitOf } from './targets';
import { round } from './stats';

const argv = process.argv.slice(2);
const RUNS = argv.includes('--quick') ? 5 : 15;
const jsonAt = argv.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;

const kb = (bytes: number): number => round(bytes / 1024, 1);

function main(): void {
  const artifacts = synthesizeArtifacts();
  const floor = buildFloorArtifact();
  const platformFloor = buildPlatformFloorArtifact();
  const roots: LambdaRoot[] = [];
  try {
    const floorRoot = layOut(floor.assetDir, floor.layerDir);
    const platformFloorRoot = layOut(platformFloor.assetDir, platformFloor.layerDir);
    roots.push(floorRoot, platformFloorRoot);
    const targets = [
      { name: 'floor', memoryMb: 512, root: floorRoot },
      { name: PLATFORM_FLOOR, memoryMb: 512, root: platformFloorRoot },
      ...artifacts.functions.map((fn) => {
        const root = layOut(fn.assetDir, artifacts.layerDir);
        roots.push(root);
        return { name: fn.name, memoryMb: fn.memoryMb, root };
      }),
    ];
    // Settings the handlers read at module scope; nothing is ever called.
    const environment = {
      TABLE_NAME: 'bench-init',
      TOKEN_ISSUER: 'https://issuer.bench/',
      TOKEN_AUDIENCE: 'astral-api-bench',
      ADMIN_CLAIM: 'astral_admin',
      JWKS_URL: 'https://issuer.invalid/.well-known/jwks.json',
      [ENV.userUsageKey]: 'bench-user-traffic',
      [ENV.pageTokenSecret]: 'bench-page-token-secret',
    };
    const cold = new Map(measureColdStarts(targets, RUNS, environment, 'floor').map((entry) => [entry.name, entry]));
    const floorCold = cold.get('floor') as ColdStart;
    const platformCold = cold.get(PLATFORM_FLOOR) as ColdStart;
    const rows = [
      { name: 'floor', kind: 'floor', entry: floorCold },
      { name: PLATFORM_FLOOR, kind: 'floor', entry: platformCold },
      ...artifacts.functions.map((fn) => ({ name: fn.name, kind: fn.kind, entry: cold.get(fn.name) as ColdStart })),
    ].map(({ name, kind, entry }) => {
      const ratio = round(pairedRatio(entry, floorCold), 2);
      const platformRatio = round(pairedRatio(entry, platformCold), 2);
      // The limits and floors of the full bench (bench/targets.ts says why).
      const judged = coldLimitOf(kind);
      const limit = judged ? judged.limit.limit : null;
      const limited = judged?.floor === 'platform floor' ? platformRatio : ratio;
      return {
        name,
        kind,
        files: entry.loadedFiles.length,
        kb: kb(entry.loadedBytes),
        importMs: round(entry.importMedianMs, 1),
        cpuMs: round(entry.importCpuMedianMs, 1),
        ratio,
        platformRatio,
        limit,
        met: limit === null ? null : limited <= limit,
      };
    });
    console.log(
      `${RUNS} runs per artifact; layer ${kb(sizeOf(artifacts.layerDir))} KB unzipped; floor layer ${kb(sizeOf(floor.layerDir))} KB\n`,
    );
    console.log(
      markdownTable(
        ['function', 'kind', 'files', 'KB', 'import ms', 'CPU ms', '÷ floor', '÷ platform floor', 'limit', 'met'],
        rows.map((r) => [
          r.name,
          r.kind,
          r.files,
          r.kb,
          r.importMs,
          r.cpuMs,
          r.ratio,
          r.platformRatio,
          r.limit,
          r.met === null ? '' : r.met ? 'yes' : 'NO',
        ]),
      ),
    );
    if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify({ layerBytes: sizeOf(artifacts.layerDir), rows }, null, 2)}\n`);
  } finally {
    for (const root of roots) root.dispose();
    floor.dispose();
    platformFloor.dispose();
    artifacts.dispose();
  }
}

main();
