import { ENV } from '../lib/config/env';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local';
import { LOCAL_ADMIN_CLAIM, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, publicJwks } from '../local/signing-key';
import { type ColdStart, measureColdStarts } from './cold-start';
import { type AuthorizerCacheShow, showAuthorizerCache } from './authorizer-cache';
import { type LoadResult, loadCases, measureConcurrency } from './concurrency';
import { measureTableLoads, type TableLoadResult } from './table-load';
import { measureJwt, measurePolicy } from './engine';
import { zodLocaleBytes } from './import-graph';
import {
  buildFloorArtifact,
  buildPlatformFloorArtifact,
  PLATFORM_FLOOR,
  type FunctionArtifact,
  type LambdaRoot,
  layOut,
  sizeOf,
  synthesizeArtifacts,
} from './lambda-layout';
import { type Latency, measureLatency } from './latency';
import { type BenchOptions, machine, phase } from './options';
import { quiet } from './quiet';
import { measureScale, type ScaleRow } from './scale';
import { activityBody, runScenario, type ScenarioRun } from './scenario';
import { type BenchStack, startBenchStack } from './stack';
import { measureWarm, type WarmResults, type WarmSubject } from './warm';

/** Keys of the warm subjects that are not routes. */
export const WARM_KEYS = { appKey: 'authorizer-app-key', bearer: 'authorizer-bearer', calibration: 'calibration' } as const;

export interface Measurements {
  readonly artifacts: readonly FunctionArtifact[];
  /** Unzipped bytes of each function's asset (read before the laid-out files are removed). */
  readonly assetBytes: ReadonlyMap<string, number>;
  readonly layerBytes: number;
  readonly floorLayerBytes: number;
  readonly zodLocaleBytes: number;
  readonly cold: ReadonlyMap<string, ColdStart>;
  readonly floorCold: ColdStart;
  /** The floor plus middy, zod/mini and Powertools: the HTTP target's divisor. Absent in snapshots saved before it was measured. */
  readonly platformFloorCold?: ColdStart;
  readonly scenario: ScenarioRun;
  /** By route name, and WARM_KEYS for the authorizer's two events and the calibration. */
  readonly warm: WarmResults;
  readonly policy: ReturnType<typeof measurePolicy>;
  readonly jwt: Awaited<ReturnType<typeof measureJwt>>;
  readonly latencyByRoute: ReadonlyMap<string, Latency>;
  readonly scale: readonly ScaleRow[];
  readonly concurrency: readonly LoadResult[];
  /** The GET loads' DynamoDB calls sent to DynamoDB Local alone; absent in snapshots saved before it was measured. */
  readonly tableLoads?: readonly TableLoadResult[];
  /** Absent in snapshots saved before it was measured. */
  readonly authorizerCache?: AuthorizerCacheShow;
  /** The machine and its load when measuring ended, so a report rebuilt with --from states the run's, not the rebuild's. */
  readonly machine?: ReturnType<typeof machine>;
}

/** Function assets and the layer laid out as Lambda would, each once, disposed together. */
class Layouts {
  readonly artifacts = synthesizeArtifacts();
  readonly floor = buildFloorArtifact();
  readonly floorRoot = layOut(this.floor.assetDir, this.floor.layerDir);
  readonly platformFloor = buildPlatformFloorArtifact();
  readonly platformFloorRoot = layOut(this.platformFloor.assetDir, this.platformFloor.layerDir);
  private readonly roots = new Map<string, LambdaRoot>();

  rootOf(fn: FunctionArtifact): LambdaRoot {
    let root = this.roots.get(fn.name);
    if (!root) {
      root = layOut(fn.assetDir, this.artifacts.layerDir);
      this.roots.set(fn.name, root);
    }
    return root;
  }

  dispose(): void {
    for (const root of this.roots.values()) root.dispose();
    this.floorRoot.dispose();
    this.floor.dispose();
    this.platformFloorRoot.dispose();
    this.platformFloor.dispose();
    this.artifacts.dispose();
  }
}

function stackEnvironment(stack: BenchStack): Record<string, string> {
  return {
    TABLE_NAME: stack.tableName,
    TOKEN_ISSUER: LOCAL_TOKEN_ISSUER,
    TOKEN_AUDIENCE: LOCAL_TOKEN_AUDIENCE,
    ADMIN_CLAIM: LOCAL_ADMIN_CLAIM,
    JWKS_URL: 'https://issuer.invalid/.well-known/jwks.json',
    [ENV.userUsageKey]: process.env[ENV.userUsageKey] ?? 'bench-user-traffic',
    [ENV.pageTokenSecret]: 'bench-page-token-secret',
  };
}

/** The document the calibration parses and serializes: a page of 20 whole activities (~46 KB). */
export const calibrationDocument = (): unknown[] => Array.from({ length: 20 }, (_, i) => activityBody(i));

/** Every route the scenario reached (both modes), the authorizer with an app key and with a bearer token, and the calibration. */
function warmSubjects(layouts: Layouts, scenario: ScenarioRun, stack: BenchStack): WarmSubject[] {
  const subjects: WarmSubject[] = [];
  for (const fn of layouts.artifacts.functions.filter((f) => f.kind === 'route')) {
    const result = scenario.representative.get(fn.name);
    const handler = result?.invoked.handler;
    if (!result || !handler) continue;
    subjects.push({
      key: fn.name,
      fn,
      root: layouts.rootOf(fn),
      modes: ['short-circuit', 'sdk'],
      input: {
        kind: 'route',
        event: handler.event,
        exchanges: handler.invocation.exchanges,
        outputs: handler.invocation.outputs,
        expectStatus: result.invoked.response.status,
      },
    });
  }
  const authorizerFn = layouts.artifacts.functions.find((fn) => fn.kind === 'authorizer') as FunctionArtifact;
  const firstApp = scenario.results.find((r) => r.step.as === 'app' && r.invoked.authorizer)?.invoked.authorizer;
  const firstUser = scenario.results.find((r) => (r.step.as === 'coach' || r.step.as === 'athlete') && r.invoked.authorizer)?.invoked
    .authorizer;
  if (!firstApp || !firstUser) throw new Error('the scenario made no app-key or bearer request');
  const authorizer = (key: string, event: unknown, exchanges: WarmSubject['input']['exchanges'], jwks?: unknown): WarmSubject => ({
    key,
    fn: authorizerFn,
    root: layouts.rootOf(authorizerFn),
    modes: ['sdk'],
    input: { kind: 'authorizer', event, exchanges, outputs: [], expectStatus: 200, ...(jwks ? { jwks } : {}) },
  });
  subjects.push(authorizer(WARM_KEYS.appKey, firstApp.event, firstApp.invocation.exchanges));
  subjects.push(authorizer(WARM_KEYS.bearer, firstUser.event, [], publicJwks(stack.signingKey)));
  subjects.push({
    key: WARM_KEYS.calibration,
    fn: { name: 'calibration', memoryMb: 1769 },
    root: layouts.floorRoot,
    modes: ['sdk'],
    input: {
      kind: 'calibration',
      event: calibrationDocument(),
      exchanges: [],
      outputs: [],
      expectStatus: 200,
    },
  });
  return subjects;
}

/** Cold starts, warm cost and the policy engine: CPU timed in child processes, with the machine quieted. */
async function cpuPhases(options: BenchOptions, layouts: Layouts, scenario: ScenarioRun, stack: BenchStack) {
  const env = stackEnvironment(stack);
  const functions = layouts.artifacts.functions;
  phase(`cold starts: ${functions.length + 2} artifacts (the functions and two floors) × ${options.coldRuns} fresh Node processes`);
  const cold = measureColdStarts(
    [
      { name: 'floor', memoryMb: 512, root: layouts.floorRoot },
      { name: PLATFORM_FLOOR, memoryMb: 512, root: layouts.platformFloorRoot },
      ...functions.map((fn) => ({ name: fn.name, memoryMb: fn.memoryMb, root: layouts.rootOf(fn) })),
    ],
    options.coldRuns,
    env,
    'floor',
  );
  const subjects = warmSubjects(layouts, scenario, stack);
  phase(`warm cost: ${subjects.length} processes, ${options.warm.rounds} interleaved rounds (DynamoDB answered in process)`);
  const warm = await measureWarm(subjects, options.warm, env);
  phase('privacy engine and JWT verification');
  const authorizerRoot = layouts.rootOf(functions.find((fn) => fn.kind === 'authorizer') as FunctionArtifact);
  const policy = measurePolicy(authorizerRoot);
  const jwt = await measureJwt(authorizerRoot, stack.signingKey, scenario.world.athleteId);
  return { cold, warm, policy, jwt };
}

/** Latency, the concurrent loads and scale: on DynamoDB Local through the local stack. */
async function stackPhases(options: BenchOptions, scenario: ScenarioRun, stack: BenchStack, dynamoDb: DynamoDbLocal) {
  phase(`latency: ${options.latencyRuns} requests per endpoint over the local stack`);
  const latency = await measureLatency(scenario, stack.gateway.url, options.latencyRuns);
  phase('authorizer cache: hits and revocation lag over the local gateway, on a stepped clock');
  const authorizerCache = await showAuthorizerCache(stack);
  phase(`concurrency: 3 loads × ${options.loadSeconds} s under 30 connections`);
  const loads = await loadCases(scenario, stack.tableName, dynamoDb.endpoint);
  const concurrency = await measureConcurrency(stack.gateway.url, loads, options.loadSeconds);
  phase(`the GET loads' DynamoDB calls, straight to DynamoDB Local under 30 connections (${options.loadSeconds} s each)`);
  const reads = loads.filter((load) => load.method === 'GET');
  const tableLoads = await measureTableLoads(dynamoDb.endpoint, reads, options.loadSeconds);
  phase('scale: organizations of 10, 1,000 and 10,000 members');
  const scale = await measureScale(scenario, stack.tableName, dynamoDb.endpoint, options.scaleRuns);
  return { latencyByRoute: new Map(latency.map((entry) => [entry.route, entry])), concurrency, tableLoads, scale, authorizerCache };
}

/** Everything `npm run bench` measures; starts and stops its own DynamoDB Local and local stack. */
export async function measure(options: BenchOptions): Promise<Measurements> {
  phase('synthesizing the stack (function assets and the layer, as deployed)');
  const layouts = new Layouts();
  const dynamoDb = await startDynamoDbLocal({ inMemory: true });
  let resume = (): void => {};
  try {
    const stack = await startBenchStack(dynamoDb.endpoint);
    phase('scripted scenario on DynamoDB Local');
    const scenario = await runScenario(stack);
    const quieted = await quiet(stack, dynamoDb);
    resume = () => quieted.resume();
    const cpu = await cpuPhases(options, layouts, scenario, stack);
    resume();
    const onStack = await stackPhases(options, scenario, stack, dynamoDb);
    await stack.stop();
    return {
      artifacts: layouts.artifacts.functions,
      assetBytes: new Map(layouts.artifacts.functions.map((fn) => [fn.name, sizeOf(fn.assetDir)])),
      layerBytes: sizeOf(layouts.artifacts.layerDir),
      floorLayerBytes: sizeOf(layouts.floor.layerDir),
      zodLocaleBytes: await zodLocaleBytes(),
      cold: new Map(cpu.cold.map((entry) => [entry.name, entry])),
      floorCold: cpu.cold.find((entry) => entry.name === 'floor') as ColdStart,
      platformFloorCold: cpu.cold.find((entry) => entry.name === PLATFORM_FLOOR) as ColdStart,
      scenario,
      warm: cpu.warm,
      policy: cpu.policy,
      jwt: cpu.jwt,
      ...onStack,
      machine: machine(),
    };
  } finally {
    resume();
    await dynamoDb.stop();
    layouts.dispose();
  }
}
