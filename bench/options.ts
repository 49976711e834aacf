import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { assumptionsFrom, type CostAssumptions } from './cost';
import { round } from './stats';

/** The command line of `npm run bench` (bench/run.ts) and what it decides: repetitions and cost assumptions. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly writeDocs: boolean;
  readonly coldRuns: number;
  /** Warm invocations per function and mode, in `rounds` interleaved rounds (bench/warm.ts). */
  readonly warm: { readonly warmup: number; readonly iterations: number; readonly rounds: number };
  readonly latencyRuns: number;
  readonly scaleRuns: number;
  /** Seconds of each concurrent load (bench/concurrency.ts). */
  readonly loadSeconds: number;
  readonly assumptions: CostAssumptions;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  // --smoke: one of everything, to check the harness end to end in a few minutes (numbers meaningless).
  if (argv.includes('--smoke'))
    return {
      quick: true,
      writeDocs: false,
      coldRuns: 1,
      warm: { warmup: 10, iterations: 20, rounds: 2 },
      latencyRuns: 1,
      scaleRuns: 1,
      loadSeconds: 1,
      assumptions: assumptionsFrom(argv),
    };
  const quick = argv.includes('--quick');
  return {
    quick,
    writeDocs: argv.includes('--docs'),
    coldRuns: quick ? 5 : 15,
    warm: quick ? { warmup: 100, iterations: 300, rounds: 5 } : { warmup: 200, iterations: 1_000, rounds: 10 },
    latencyRuns: quick ? 5 : 10,
    scaleRuns: quick ? 3 : 9,
    loadSeconds: quick ? 4 : 10,
    assumptions: assumptionsFrom(argv),
  };
}

const started = Date.now();
/** Progress on stderr, so stdout carries only the tables. */
export const phase = (name: string): void => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${name}`);

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    /** 1, 5 and 15 minute load averages when the report was built: other work on the machine skews absolute times. */
    loadAverage: loadavg().map((load) => round(load, 2)),
  };
}
