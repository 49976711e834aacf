import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROUTES, type RouteDefinition } from '../functions/manifest';
import { pathFor } from './invoker';
import { SCALE_CASES, seedOrganization } from './scale';
import { activityBody, type ScenarioRun } from './scenario';

/**
 * The local stack under concurrent load: `npm start`'s gateway and handlers in this process, on
 * DynamoDB Local, driven by autocannon (a well-kept Node HTTP load generator, pinned in
 * devDependencies, no install scripts) from a separate process over keep-alive connections.
 * The stream consumers are stopped (bench/quiet.ts): on AWS they run on their own Lambda capacity,
 * not on the API's, so here they would only take the cores the requests need.
 */
export const CONNECTIONS = 30;
/** Members of the organization whose leaderboard is loaded (issue 14). */
export const LEADERBOARD_MEMBERS = 1_000;

export interface LoadCase {
  readonly label: string;
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The status every response must have. */
  readonly expect: number;
}

export interface LoadResult {
  readonly label: string;
  readonly route: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and responses of another status than expected. */
  readonly errors: number;
}

const routeNamed = (name: string): RouteDefinition => {
  const route = ROUTES.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return route;
};

/**
 * The three loads of issue 14: the public organization GET, the leaderboard of a 1,000-member
 * organization seeded as the scale rows seed theirs (`seedOrganization`, so a new read model seeded
 * there is seeded here too), and the activity POST.
 */
export async function loadCases(scenario: ScenarioRun, tableName: string, dynamoDbEndpoint: string): Promise<LoadCase[]> {
  const { world } = scenario;
  const leaderboard = SCALE_CASES.find((scaleCase) => scaleCase.path.endsWith('/leaderboard'));
  const leaderboardRoute = ROUTES.find((route) => route.method === 'GET' && route.path === leaderboard?.path);
  if (!leaderboard || !leaderboardRoute) throw new Error('no leaderboard route or scale case');
  const bigOrg = await seedOrganization(scenario, tableName, dynamoDbEndpoint, LEADERBOARD_MEMBERS);
  const query = new URLSearchParams(leaderboard.query as Record<string, string>).toString();
  const orgGet = routeNamed('organizations-get');
  const create = routeNamed('activities-create');
  return [
    {
      label: 'public organization GET',
      route: orgGet.name,
      method: 'GET',
      path: pathFor(orgGet, { org_id: world.orgId }),
      headers: {},
      expect: 200,
    },
    {
      label: `leaderboard, ${LEADERBOARD_MEMBERS.toLocaleString('en-US')} members`,
      route: leaderboardRoute.name,
      method: 'GET',
      path: `${pathFor(leaderboardRoute, { org_id: bigOrg })}${query ? `?${query}` : ''}`,
      headers: { Authorization: `Bearer ${world.tokens.coach}` },
      expect: 200,
    },
    {
      label: 'activity POST',
      route: create.name,
      method: 'POST',
      path: pathFor(create, { user_id: world.athleteId }),
      headers: { Authorization: `Bearer ${world.tokens.athlete}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(activityBody(7)),
      expect: 201,
    },
  ];
}

export interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>;
  readonly duration: number;
}

/** autocannon's options as bench/load-client.mjs passes them on (a URL and one request, or a sequence of them). */
export type LoadClientOptions = Readonly<Record<string, unknown>> & { readonly url: string; readonly connections: number };

/** Runs autocannon in its own process for `seconds`. */
export function runLoadClient(options: LoadClientOptions, seconds: number, label: string): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'load-client.mjs'), JSON.stringify({ ...options, duration: seconds })],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (err = (err + chunk.toString('utf8')).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`autocannon for ${label} exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as AutocannonResult);
    });
  });
}

function autocannon(url: string, load: LoadCase, seconds: number): Promise<AutocannonResult> {
  const options = {
    url: `${url}${load.path}`,
    method: load.method,
    headers: load.headers,
    ...(load.body ? { body: load.body } : {}),
    connections: CONNECTIONS,
  };
  return runLoadClient(options, seconds, load.label);
}

/** Connection errors, timeouts and responses of another status than `expected`. */
export function errorsOf(result: AutocannonResult, expected: number): number {
  const answered = Object.values(result.statusCodeStats).reduce((sum, stat) => sum + stat.count, 0);
  return result.errors + result.timeouts + answered - (result.statusCodeStats[String(expected)]?.count ?? 0);
}

/** Each load in turn: a short untimed run first (handlers loaded, JIT warm), then `seconds` timed. */
export async function measureConcurrency(url: string, loads: readonly LoadCase[], seconds: number): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const load of loads) {
    await autocannon(url, load, 2);
    const result = await autocannon(url, load, seconds);
    results.push({
      label: load.label,
      route: load.route,
      connections: CONNECTIONS,
      seconds,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: errorsOf(result, load.expect),
    });
  }
  return results;
}
