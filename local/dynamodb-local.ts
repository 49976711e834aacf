import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port';
import { repoRoot } from './paths';

export interface DynamoDbLocalOptions {
  /** 0 or undefined picks a free port. */
  readonly port?: number;
  readonly inMemory: boolean;
  /** Where the database file lives when not in memory. */
  readonly dataDir?: string;
  /** How long to wait for the first answer; the JVM takes a few seconds on a busy machine. */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
  /** Resolves, with why, if java exits without stop() having been called (it crashed or was killed). */
  readonly exited: Promise<string>;
}

/** Static credentials: DynamoDB Local accepts anything, and these can never reach real AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'local';

const JAR_DIR = '.dynamodb-local';

interface Jar {
  readonly jar: string;
  readonly libDir: string;
}

function ensureJar(): Jar {
  const dir = resolve(repoRoot(), JAR_DIR);
  const jar = join(dir, 'DynamoDBLocal.jar');
  const libDir = join(dir, 'DynamoDBLocal_lib');
  if (!existsSync(jar) || !existsSync(libDir)) {
    // A clone installed with --ignore-scripts has no jar yet: run the postinstall step now.
    execFileSync(process.execPath, [resolve(repoRoot(), 'tools/fetch-dynamodb-local.mjs')], {
      cwd: repoRoot(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!existsSync(jar)) throw new Error(`DynamoDB Local is missing: ${jar} (run: node tools/fetch-dynamodb-local.mjs)`);
  }
  return { jar, libDir };
}

// Every java process we start, so none outlives this Node process however it ends.
const live = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // When something else listens (npm start stops gracefully), it owns shutdown and the exit hook
      // is the backstop. Alone, we must not swallow the signal: clean up, then die as Node would.
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      resolveExit(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolveExit(true);
    };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
  }
  live.delete(child);
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

class StartFailure extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

function javaArguments(port: number, options: DynamoDbLocalOptions, jar: Jar): string[] {
  const storage = options.inMemory ? ['-inMemory'] : ['-dbPath', resolve(options.dataDir ?? '.')];
  return [
    // Serial GC and a small heap: the machine is shared, and the data lives in SQLite's native memory
    // (GC took < 1 s of a 12-minute test run). The full JIT stays on: C1 alone (TieredStopAtLevel=1)
    // started 0.5 s sooner but ran the heavy test files 20-30 % slower, and under `npm test` this one
    // JVM is the bottleneck (ADR 0005).
    '-XX:+UseSerialGC',
    '-Xmx512m',
    `-Djava.library.path=${jar.libDir}`,
    '-jar',
    jar.jar,
    '-sharedDb',
    // Telemetry would call AWS; nothing local may.
    '-disableTelemetry',
    '-port',
    String(port),
    ...storage,
  ];
}

/** The last lines java printed (stdout and stderr), for the message when it fails to start. */
class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly size: number) {}

  readonly keep = (chunk: Buffer): void => {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    if (this.lines.length > this.size) this.lines.splice(0, this.lines.length - this.size);
  };

  toString(): string {
    return this.lines.join('\n');
  }
}

/**
 * `$$` is sh's pid, which `exec` hands to java. The reader's stdin is named explicitly (fd 3): an
 * asynchronous list's stdin is /dev/null otherwise. java gets neither pipe end.
 */
const JAVA_WATCHDOG = 'exec 3<&0; (cat <&3 >/dev/null; kill $$ 2>/dev/null) & exec java "$@" 0</dev/null 3<&-';

/** One java process running the jar, tracked so that none outlives us. */
class JavaProcess {
  readonly output = new OutputTail(40);
  private spawnError: Error | undefined;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', this.output.keep);
    child.stderr?.on('data', this.output.keep);
    child.once('error', (error) => {
      this.spawnError = error;
    });
  }

  static spawn(args: readonly string[]): JavaProcess {
    // The jar has no bind-address option: it listens on all interfaces; we only ever talk to loopback.
    // Through a watchdog, so java dies with us even when we are SIGKILLed (no exit hook runs then):
    // sh keeps our stdin pipe on fd 3 for a background reader, then execs java (same pid, our child).
    // The reader sees end-of-file when the pipe's only writer, this process, is gone, and stops java.
    const child = spawn('sh', ['-c', JAVA_WATCHDOG, 'dynamodb-local', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    installExitHooks();
    live.add(child);
    // Once java is gone, end the reader too (it would otherwise wait for our exit, then signal a stale pid).
    child.once('exit', () => child.stdin?.destroy());
    child.stdin?.on('error', () => undefined);
    return new JavaProcess(child);
  }

  /** Why it is gone, or undefined while it still runs. */
  failure(): string | undefined {
    if (this.spawnError) return `could not run java: ${this.spawnError.message}`;
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return `DynamoDB Local exited (${this.child.exitCode ?? this.child.signalCode})`;
    }
    return undefined;
  }
}

async function waitUntilAnswering(java: JavaProcess, endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = java.failure();
    if (failure !== undefined) {
      live.delete(java.child);
      const tail = java.output.toString();
      throw new StartFailure(`${failure}\n${tail}`, /address already in use|BindException/i.test(tail));
    }
    if (await answers(endpoint)) return;
    if (Date.now() > deadline) {
      await stopChild(java.child);
      throw new StartFailure(`DynamoDB Local did not answer on ${endpoint}\n${java.output.toString()}`, false);
    }
    await sleep(150);
  }
}

async function startOnce(port: number, options: DynamoDbLocalOptions, jar: Jar): Promise<DynamoDbLocal> {
  const java = JavaProcess.spawn(javaArguments(port, options, jar));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(java, endpoint, options.startTimeoutMs ?? 60_000);
  let stopping: Promise<void> | undefined;
  const child = java.child;
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    stop: () => (stopping ??= stopChild(child)),
    // Only an exit nobody asked for: a stop() in progress never resolves it.
    exited: new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        if (stopping === undefined) resolve(`exit ${code ?? signal}`);
      }),
    ),
  };
}

/** Starts DynamoDB Local (with Streams) as a child java process and resolves once it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const jar = ensureJar();
  if (!options.inMemory && options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pickPort = options.port === undefined || options.port === 0;
  // A picked port can be taken between the probe and java binding it; try a few before giving up.
  for (let attempt = 1; ; attempt += 1) {
    const port = pickPort ? await freePort() : (options.port as number);
    try {
      return await startOnce(port, options, jar);
    } catch (error) {
      if (!(error instanceof StartFailure) || !error.portInUse || !pickPort || attempt >= 3) throw error;
    }
  }
}
