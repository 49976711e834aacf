import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentOutput, Exchange } from './dynamo-recorder';
import { lambdaEnvironment, type LambdaRoot } from './lambda-layout';
import { percentile } from './stats';

/** `sdk`: DynamoDB answered below the SDK (its work counted); `short-circuit`: answered before it (our code only). */
export type WarmMode = 'sdk' | 'short-circuit';

export interface WarmInput {
  /** `calibration`: the fixed workload handler CPU is divided by (its `event` is the document it parses). */
  readonly kind: 'route' | 'authorizer' | 'calibration';
  readonly event: unknown;
  readonly exchanges: readonly Exchange[];
  readonly outputs: readonly DocumentOutput[];
  /** Status the handler must answer (200 stands for an authorizer's Allow). */
  readonly expectStatus: number;
  readonly jwks?: unknown;
}

/** One warm process: a function (or the calibration) and the event it is invoked with. */
export interface WarmSubject {
  /** Unique among the subjects (the authorizer is measured twice, with two events). */
  readonly key: string;
  /** `layerGroup`: the group core the function imports (docs/adr/0015-layer-layout.md); none for the calibration. */
  readonly fn: { readonly name: string; readonly memoryMb: number; readonly layerGroup?: string };
  readonly root: LambdaRoot;
  readonly input: WarmInput;
  readonly modes: readonly WarmMode[];
}

export interface WarmPlan {
  readonly warmup: number;
  /** Timed invocations per subject and mode, spread over `rounds`. */
  readonly iterations: number;
  readonly rounds: number;
}

export interface WarmResult {
  readonly cpuP50Ms: number;
  readonly cpuP99Ms: number;
  readonly wallP50Ms: number;
  readonly wallP99Ms: number;
  readonly iterations: number;
  /** DynamoDB calls answered in process per measured invocation. */
  readonly callsPerInvocation: number;
  /** What the function wrote to stdout and stderr per invocation (its CloudWatch log lines, before Lambda's prefix). */
  readonly logBytes: number;
  readonly logLines: number;
  /** Resident set size after the first invocation (module graph, SDK client, first lazy imports). */
  readonly rssAfterFirstBytes: number;
  /** Wall time from the subject's first timed round to its last (caches with a TTL may refresh within it). */
  readonly spanMs: number;
}

export type WarmResults = ReadonlyMap<string, Partial<Record<WarmMode, WarmResult>>>;

interface RoundReply {
  readonly cpuMicros: number[];
  readonly wallMicros: number[];
  readonly callsPerInvocation: number;
  readonly logBytes: number;
  readonly logLines: number;
  readonly rssAfterFirstBytes: number;
  readonly unexpected: unknown[];
}

/** A live bench/lambda/warm.mjs process and the one request it may have outstanding. */
class WarmProcess {
  private stderr = '';

  private constructor(
    readonly subject: WarmSubject,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
  }

  static async start(subject: WarmSubject, warmup: number, env: Readonly<Record<string, string>>): Promise<WarmProcess> {
    const inputFile = join(subject.root.root, `warm-input-${subject.key}.json`);
    writeFileSync(
      inputFile,
      JSON.stringify({
        ...subject.input,
        modes: subject.modes,
        warmup,
        name: subject.fn.name,
        memoryMb: subject.fn.memoryMb,
        layerGroup: subject.fn.layerGroup,
      }),
    );
    const child = fork(join(subject.root.root, 'warm.mjs'), [inputFile], {
      cwd: subject.root.root,
      env: lambdaEnvironment(subject.root, subject.fn, env),
      execPath: process.execPath,
      execArgv: [],
      // Handler logs are real work (one JSON line per request) but not worth a terminal's time.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const process_ = new WarmProcess(subject, child);
    await process_.next<{ ready: true }>();
    return process_;
  }

  /** The child's next message; its exit before then is an error with its stderr. */
  next<T>(): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`warm run of ${this.subject.key} exited (${code ?? signal}): ${this.stderr.slice(-2000)}`));
      this.child.once('exit', onExit);
      this.child.once('message', (message) => {
        this.child.removeListener('exit', onExit);
        resolve(message as T);
      });
    });
  }

  async round(mode: WarmMode, iterations: number): Promise<RoundReply> {
    this.child.send({ mode, iterations });
    const reply = await this.next<RoundReply>();
    if (reply.unexpected.length > 0)
      throw new Error(`warm run of ${this.subject.key} answered unexpectedly: ${JSON.stringify(reply.unexpected)}`);
    return reply;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ done: true });
    setTimeout(() => this.child.kill('SIGKILL'), 5_000).unref();
  }
}

function reduce(replies: readonly RoundReply[], spanMs: number): WarmResult {
  const cpu = replies.flatMap((reply) => reply.cpuMicros);
  const wall = replies.flatMap((reply) => reply.wallMicros);
  const mean = (pick: (reply: RoundReply) => number) => replies.reduce((sum, reply) => sum + pick(reply), 0) / Math.max(1, replies.length);
  return {
    cpuP50Ms: percentile(cpu, 50) / 1000,
    cpuP99Ms: percentile(cpu, 99) / 1000,
    wallP50Ms: percentile(wall, 50) / 1000,
    wallP99Ms: percentile(wall, 99) / 1000,
    iterations: cpu.length,
    callsPerInvocation: mean((reply) => reply.callsPerInvocation),
    logBytes: mean((reply) => reply.logBytes),
    logLines: mean((reply) => reply.logLines),
    rssAfterFirstBytes: replies[0]?.rssAfterFirstBytes ?? 0,
    spanMs,
  };
}

/**
 * Every subject in its own process, all warmed first (one at a time: two cores), then timed in
 * rounds, round-robin over subjects and modes, one process busy at a time. A burst of load elsewhere
 * on the machine then lands on a slice of every subject, the calibration's included, rather than on
 * whole functions: ratios to the calibration stay comparable within a run.
 */
export async function measureWarm(
  subjects: readonly WarmSubject[],
  plan: WarmPlan,
  env: Readonly<Record<string, string>>,
): Promise<WarmResults> {
  const processes: WarmProcess[] = [];
  const replies = new Map<string, RoundReply[]>();
  const spans = new Map<string, { first: number; last: number }>();
  try {
    for (const subject of subjects) processes.push(await WarmProcess.start(subject, plan.warmup, env));
    const perRound = Math.max(1, Math.ceil(plan.iterations / plan.rounds));
    for (let round = 0; round < plan.rounds; round += 1) {
      for (const warm of processes) {
        for (const mode of warm.subject.modes) {
          const key = `${warm.subject.key}\u0000${mode}`;
          const started = Date.now();
          replies.set(key, [...(replies.get(key) ?? []), await warm.round(mode, perRound)]);
          spans.set(key, { first: spans.get(key)?.first ?? started, last: Date.now() });
        }
      }
    }
  } finally {
    for (const warm of processes) warm.stop();
  }
  const out = new Map<string, Partial<Record<WarmMode, WarmResult>>>();
  for (const subject of subjects) {
    const results: Partial<Record<WarmMode, WarmResult>> = {};
    for (const mode of subject.modes) {
      const key = `${subject.key}\u0000${mode}`;
      const span = spans.get(key);
      results[mode] = reduce(replies.get(key) ?? [], span ? span.last - span.first : 0);
    }
    out.set(subject.key, results);
  }
  return out;
}
