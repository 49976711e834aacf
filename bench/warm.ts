import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentOutput, Exchange } from './dynamo-recorder';
import { lambdaEnvironment, type FunctionArtifact, type LambdaRoot } from './lambda-layout';
import { percentile } from './stats';

export interface WarmInput {
  readonly kind: 'route' | 'authorizer';
  /** `sdk`: DynamoDB answered below the SDK (its work counted); `short-circuit`: answered before it (our code only). */
  readonly mode: 'sdk' | 'short-circuit';
  readonly event: unknown;
  readonly exchanges: readonly Exchange[];
  readonly outputs: readonly DocumentOutput[];
  /** Status the handler must answer (200 stands for an authorizer's Allow). */
  readonly expectStatus: number;
  readonly jwks?: unknown;
  readonly warmup: number;
  readonly iterations: number;
}

export interface WarmResult {
  readonly cpuP50Ms: number;
  readonly cpuP99Ms: number;
  readonly wallP50Ms: number;
  readonly wallP99Ms: number;
  readonly iterations: number;
  /** DynamoDB calls answered in process per measured invocation. */
  readonly callsPerInvocation: number;
  /** Resident set size after the first invocation (module graph, SDK client, first lazy imports). */
  readonly rssAfterFirstBytes: number;
}

/** Runs bench/lambda/warm.mjs for one function in a fresh Node process and reduces its samples. */
export function measureWarm(
  fn: FunctionArtifact,
  root: LambdaRoot,
  input: WarmInput,
  stackEnvironment: Readonly<Record<string, string>>,
): WarmResult {
  const inputFile = join(root.root, 'warm-input.json');
  const resultFile = join(root.root, 'warm-result.json');
  writeFileSync(inputFile, JSON.stringify({ ...input, name: fn.name, memoryMb: fn.memoryMb, layerGroup: fn.layerGroup }));
  const child = spawnSync(process.execPath, [join(root.root, 'warm.mjs'), inputFile, resultFile], {
    cwd: root.root,
    env: lambdaEnvironment(root, fn, stackEnvironment),
    // Handler logs are real work (one JSON line per request) but not worth a terminal's time.
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`warm run of ${fn.name} failed (${child.status ?? child.signal}): ${child.stderr.slice(-2000)}`);
  const out = JSON.parse(readFileSync(resultFile, 'utf8')) as {
    cpuMicros: number[];
    wallMicros: number[];
    callsPerInvocation: number;
    rssAfterFirstBytes: number;
    unexpected: unknown[];
  };
  if (out.unexpected.length > 0) throw new Error(`warm run of ${fn.name} answered unexpectedly: ${JSON.stringify(out.unexpected)}`);
  const ms = (micros: number) => micros / 1000;
  return {
    cpuP50Ms: ms(percentile(out.cpuMicros, 50)),
    cpuP99Ms: ms(percentile(out.cpuMicros, 99)),
    wallP50Ms: ms(percentile(out.wallMicros, 50)),
    wallP99Ms: ms(percentile(out.wallMicros, 99)),
    iterations: out.cpuMicros.length,
    callsPerInvocation: out.callsPerInvocation,
    rssAfterFirstBytes: out.rssAfterFirstBytes,
  };
}
