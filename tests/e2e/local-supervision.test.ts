import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../../local/free-port';

/**
 * `npm start` killed with SIGKILL runs no exit hook: java must still go, through the watchdog
 * local/dynamodb-local.ts spawns it under (issue 15, part 5).
 */
const INHERITED = ['DYNAMODB_ENDPOINT', 'TABLE_NAME', 'TOKEN_ISSUER', 'TOKEN_AUDIENCE', 'JWKS_URL', 'ADMIN_CLAIM', 'PAGE_TOKEN_SECRET'];

function findJava(port: number): { pid: number; parentPid: number } | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portIndex = argv.indexOf('-port');
    if (!argv.some((arg) => arg.endsWith('DynamoDBLocal.jar')) || argv[portIndex + 1] !== String(port)) continue;
    const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    return { pid: Number(entry), parentPid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) };
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Polls until the condition holds; the bound only keeps a broken watchdog from hanging the run. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

let child: ChildProcess | undefined;
let dynamoDbPort: number;

function startNpm(port: number): { output: () => string; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoDbPort) };
  for (const name of INHERITED) delete env[name];
  let output = '';
  child = spawn('npm', ['start', '--', '--in-memory'], { env, cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { output: () => output, env };
}

const tokenFor = (userId: string, env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile('npm', ['run', '-s', 'token', '--', userId], { env, cwd: process.cwd(), encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    ),
  );

afterAll(() => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const java = dynamoDbPort ? findJava(dynamoDbPort) : undefined;
  if (java) process.kill(java.pid, 'SIGKILL');
});

it('stops java when the node process is killed with SIGKILL, freeing the port', async () => {
  const port = await freePort();
  dynamoDbPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamoDbPort) };
  for (const name of INHERITED) delete env[name];
  let output = '';
  child = spawn('npm', ['start', '--', '--in-memory'], { env, cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  expect(await eventually(() => output.includes('ready') || child?.exitCode !== null)).toBe(true);
  expect(output).toContain('ready');

  const java = findJava(dynamoDbPort);
  expect(java).toBeDefined();
  const { pid, parentPid } = java as { pid: number; parentPid: number };
  // Only java's parent (the node running local/start.ts), and with the signal nothing can catch.
  process.kill(parentPid, 'SIGKILL');
  expect(await eventually(() => !isRunning(pid))).toBe(true);
  expect(await eventually(async () => !(await listening(dynamoDbPort)))).toBe(true);
});

it('restarts DynamoDB Local on the same port when it dies, and the API answers again', async () => {
  const port = await freePort();
  dynamoDbPort = await freePort();
  const started = startNpm(port);
  expect(await eventually(() => started.output().includes('ready') || child?.exitCode !== null)).toBe(true);
  const first = findJava(dynamoDbPort);
  expect(first).toBeDefined();
  process.kill((first as { pid: number }).pid, 'SIGKILL');
  expect(await eventually(() => started.output().includes('dynamodb-local restarted'))).toBe(true);
  expect(started.output()).toMatch(/dynamodb-local stopped \(exit SIGKILL\): restarting on port \d+ \(attempt 1 of 3\)/);
  const second = findJava(dynamoDbPort);
  expect(second?.pid).not.toBe(first?.pid);

  const token = await tokenFor('usr_restart1', started.env);
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);

  process.kill(-(child as ChildProcess & { pid: number }).pid, 'SIGINT');
  expect(await eventually(() => !isRunning((second as { pid: number }).pid))).toBe(true);
});
