import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { containsJose, containsZodLocales } from './import-graph';
import { lambdaEnvironment, type LambdaRoot } from './lambda-layout';
import { median } from './stats';

export interface ColdTarget {
  readonly name: string;
  readonly memoryMb: number;
  readonly root: LambdaRoot;
}

export interface ColdStart {
  readonly name: string;
  readonly runs: number;
  /** Median time to import the function module (what the runtime does before the first invocation). */
  readonly importMedianMs: number;
  readonly importCpuMedianMs: number;
  /** Median time from process start to the module imported (Node's own start-up included). */
  readonly readyMedianMs: number;
  /**
   * Import times by round, in order (the reference's: the mean of its two samples in the round). Absent
   * in snapshots saved before they were kept.
   */
  readonly importByRoundMs?: readonly number[];
  /** Layer and task files the import loaded, relative to the Lambda root, and their bytes. */
  readonly loadedFiles: readonly string[];
  readonly loadedBytes: number;
  readonly loadsJose: boolean;
  /** Loads zod's locale bundles, which nothing calls. */
  readonly loadsZodLocales: boolean;
}

interface ChildResult {
  importMs: number;
  importCpuMs: number;
  readyMs: number;
  loaded: string[];
}

function coldOnce(target: ColdTarget, stackEnvironment: Readonly<Record<string, string>>, run: number): ChildResult {
  const resultFile = join(target.root.root, `cold-${run}.json`);
  const child = spawnSync(process.execPath, [join(target.root.root, 'cold-start.mjs'), resultFile], {
    cwd: target.root.root,
    env: lambdaEnvironment(target.root, target, stackEnvironment),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`cold start of ${target.name} failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult;
}

/** One figure per round: the reference is sampled at the start and the end of each round (its mean). */
function byRound(samples: readonly number[], runs: number): number[] {
  if (samples.length === runs) return [...samples];
  // The reference: each round's start and end, one after the other.
  return Array.from({ length: runs }, (_, run) => ((samples[2 * run] ?? 0) + (samples[2 * run + 1] ?? 0)) / 2);
}

/**
 * The ratio of one artifact's import time to another's, as the median of the ratios within each round
 * (both sampled in the same round, minutes apart at most): a burst of load on the shared machine that
 * slows a whole round slows both sides of its ratio, where a ratio of the two medians would carry it.
 * Falls back to the ratio of medians for snapshots without rounds.
 */
export function pairedRatio(subject: ColdStart, floor: ColdStart): number {
  const a = subject.importByRoundMs;
  const b = floor.importByRoundMs;
  if (!a || !b || a.length !== b.length || a.length === 0) return subject.importMedianMs / floor.importMedianMs;
  return median(a.map((ms, round) => ms / (b[round] ?? Number.NaN)));
}

/**
 * Fresh Node processes, one after another (never in parallel: they would compete for the two cores),
 * round-robin over the targets so that a burst of load elsewhere on the machine spreads over all of
 * them instead of skewing one. One untimed round first fills the page cache.
 */
export function measureColdStarts(
  targets: readonly ColdTarget[],
  runs: number,
  stackEnvironment: Readonly<Record<string, string>>,
  referenceName?: string,
): ColdStart[] {
  const reference = targets.find((target) => target.name === referenceName);
  const samples = new Map<string, ChildResult[]>(targets.map((target) => [target.name, []]));
  for (const target of targets) coldOnce(target, stackEnvironment, -1);
  for (let run = 0; run < runs; run += 1) {
    for (const target of targets) samples.get(target.name)?.push(coldOnce(target, stackEnvironment, run));
    // The reference every ratio divides by gets twice the samples, at the start and the end of each round.
    if (reference) samples.get(reference.name)?.push(coldOnce(reference, stackEnvironment, runs + run));
  }
  return targets.map((target) => {
    const results = samples.get(target.name) ?? [];
    const loadedFiles = results[0]?.loaded ?? [];
    const files = loadedFiles.map((file) => join(target.root.root, file));
    return {
      name: target.name,
      runs: results.length,
      importMedianMs: median(results.map((r) => r.importMs)),
      importCpuMedianMs: median(results.map((r) => r.importCpuMs)),
      readyMedianMs: median(results.map((r) => r.readyMs)),
      importByRoundMs: byRound(
        results.map((r) => r.importMs),
        runs,
      ),
      loadedFiles,
      loadedBytes: files.reduce((sum, file) => sum + statSync(file).size, 0),
      loadsJose: files.some(containsJose),
      loadsZodLocales: files.some(containsZodLocales),
    };
  });
}
