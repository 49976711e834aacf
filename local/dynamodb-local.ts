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
}

/** Static credentials: DynamoDB Local accepts anything, and these can never reach real AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'local';

const JAR_DIR = '.dynamodb-local';

function ensureJar(): { jar: string; libDir: string } {
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

async function startOnce(port: number, options: DynamoDbLocalOptions, jar: { jar: string; libDir: string }): Promise<DynamoDbLocal> {
  const storage = options.inMemory ? ['-inMemory'] : ['-dbPath', resolve(options.dataDir ?? '.')];
  const args = [
    // Small, quick-starting JVM: the machine is shared and the workload is tiny.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
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
  // The jar has no bind-address option: it listens on all interfaces; we only ever talk to loopback.
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  installExitHooks();
  live.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    if (output.length > 40) output.splice(0, output.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      live.delete(child);
      const tail = output.join('\n');
      const reason = spawnError
        ? `could not run java: ${spawnError.message}`
        : `DynamoDB Local exited (${child.exitCode ?? child.signalCode})`;
      throw new StartFailure(`${reason}\n${tail}`, /address already in use|BindException/i.test(tail));
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new StartFailure(`DynamoDB Local did not answer on ${endpoint}\n${output.join('\n')}`, false);
    }
    await sleep(150);
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    stop: () => (stopping ??= stopChild(child)),
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
