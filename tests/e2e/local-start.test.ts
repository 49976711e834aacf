import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ROUTES } from '../../functions/manifest';
import { freePort } from '../../local/free-port';
import { apiKey, bearer, httpClient, type HttpClient } from '../support/http';

/**
 * `npm start` as a person runs it: a separate process tree (npm → tsx → node → java) on free ports,
 * driven over HTTP and with the documented scripts, then stopped with SIGINT.
 */

// What the test runner's own environment carries must not leak into the stack under test.
const INHERITED = [
  'DYNAMODB_ENDPOINT',
  'TABLE_NAME',
  'TOKEN_ISSUER',
  'TOKEN_AUDIENCE',
  'JWKS_URL',
  'ADMIN_CLAIM',
  'PAGE_TOKEN_SECRET',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_DYNAMODB_STREAMS',
];

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of INHERITED) delete env[name];
  return env;
}

function npm(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', args, { env, cwd: process.cwd(), encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The DynamoDB Local java process listening on `port`, found through /proc (no dependence on our output). */
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
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { pid: Number(entry), parentPid };
  }
  return undefined;
}

/** A zombie still has a /proc entry; it no longer runs. */
function isRunning(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

let child: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let port: number;
let dynamoDbPort: number;
let url: string;
let http: HttpClient;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  port = await freePort();
  dynamoDbPort = await freePort();
  env = environment({ PORT: String(port), DYNAMODB_PORT: String(dynamoDbPort) });
  // Its own process group, so that cleaning up after a failure can reach the whole tree.
  child = spawn('npm', ['start', '--', '--in-memory'], { env, cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print ready:\n${output}`)), 280_000);
    const check = (): void => {
      const match = /ready (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before ready:\n${output}`)));
  });
  http = httpClient(url);
});

afterAll(async () => {
  // Only when a test failed before stopping it: take down exactly the tree we started.
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const java = dynamoDbPort ? findJava(dynamoDbPort) : undefined;
  if (java) process.kill(java.pid, 'SIGKILL');
});

describe('npm start -- --in-memory', () => {
  it('prints exactly one ready line, with the URL on 127.0.0.1 and PORT', () => {
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(output.split('\n').filter((line) => line.includes('ready'))).toHaveLength(1);
  });

  it('answers an unknown route with a 404 JSON body and a request id', async () => {
    const response = await http.get('/api/v1/no-such-route');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: 'not found', code: 'not_found' });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves every route of the manifest that needs credentials behind the authorizer (401 without any)', async () => {
    for (const route of ROUTES.filter((r) => r.credentials.length > 0)) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x1');
      const response = await http.request(route.method, path);
      expect({ route: route.name, status: response.status, body: response.body }).toEqual({
        route: route.name,
        status: 401,
        body: {
          message: 'invalid or missing credentials',
          code: 'unauthorized',
          details: [{ path: 'headers', message: expect.any(String), reason: 'missing_credentials' }],
        },
      });
    }
  });

  it('runs the README flow: app key and token from the scripts, create a user and an organization, read them back', async () => {
    const issued = await npm(['run', '-s', 'app-key', '--', 'e2e readme'], env);
    expect(issued.code).toBe(0);
    // The script prints the key and nothing else, so KEY=$(npm run -s app-key -- …) works.
    expect(issued.stdout).toMatch(/^astral_[A-Za-z0-9_-]{43}\n$/);
    const key = issued.stdout.trim();

    const user = await http.post<{ user: { user_id: string } }>('/api/v1/users', { display_name: 'Abc Coach' }, { headers: apiKey(key) });
    expect(user.status).toBe(201);
    const coachId = user.body?.user.user_id as string;

    const signed = await npm(['run', '-s', 'token', '--', coachId, '--name', 'Abc Coach'], env);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const token = signed.stdout.trim();

    const created = await http.post<{ message: string; organization: { org_id: string } }>(
      '/api/v1/organizations',
      { name: 'Summit Running Club', description: 'Elite distance running program', head_coach_user_id: coachId },
      { headers: apiKey(key) },
    );
    expect(created.status).toBe(201);
    expect(created.body?.message).toBe('Organization created successfully');
    const orgId = created.body?.organization.org_id as string;

    const fetched = await http.get(`/api/v1/organizations/${orgId}`, { headers: bearer(token) });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ org_id: orgId, org_name: 'Summit Running Club', head_coach_user_id: coachId });

    // The token is checked against the JWKS this stack serves (the authorizer's remote-JWKS path).
    const me = await http.get('/api/v1/users/me', { headers: bearer(token) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user_id: coachId, display_name: 'Abc Coach' });
  });

  it('app-key fails clearly, printing nothing on stdout, when no local stack runs on DYNAMODB_PORT', async () => {
    const nowhere = await freePort();
    const result = await npm(['run', '-s', 'app-key', '--', 'nobody home'], environment({ DYNAMODB_PORT: String(nowhere) }));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('the local stack is not running');
  });

  it('stops on SIGINT and leaves no java process behind', async () => {
    const java = findJava(dynamoDbPort);
    expect(java).toBeDefined();
    const { pid, parentPid } = java as { pid: number; parentPid: number };
    expect(isRunning(pid)).toBe(true);
    // Signal only the process running local/start.ts (java's parent): java gets no signal of its own,
    // so it is gone only if our shutdown stopped it.
    process.kill(parentPid, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping');
    expect(isRunning(pid)).toBe(false);
  });
});
