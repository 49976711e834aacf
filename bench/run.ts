/**
 * `npm run bench`: cold starts, warm cost, DynamoDB work, scale and dollars per million requests
 * (docs/benchmarks.md). Writes bench/results.json and prints the tables; `-- --docs` also rewrites
 * the results section of docs/benchmarks.md. Never part of `npm test`.
 *
 *   npm run bench                 # the full run (about 2.5 minutes on 2 cores)
 *   npm run bench -- --quick      # fewer repetitions, for trying the harness out
 *   npm run bench -- --docs       # and put the results into docs/benchmarks.md
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHORIZER, ROUTES } from '../functions/manifest';
import { ENV } from '../lib/config/env';
import { LOCAL_ADMIN_CLAIM, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, publicJwks } from '../local/signing-key';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { measureColdStarts, type ColdStart } from './cold-start';
import { costPerMillion, mixWeight, type CostBreakdown, type FunctionRun } from './cost';
import { AUTHORIZER_DESIGNED, checkAgainstDesign, DESIGNED } from './designed';
import { totals } from './dynamo-recorder';
import { measureJwt, measurePolicy } from './engine';
import { zodLocaleBytes } from './import-graph';
import { buildFloorArtifact, layOut, sizeOf, synthesizeArtifacts, type FunctionArtifact, type LambdaRoot } from './lambda-layout';
import { measureLatency, type Latency } from './latency';
import { PRICES } from './prices';
import { formatNumber, markdownTable, targetRows, type Cell, type Target } from './report';
import { measureScale, SCALE_CASES, SCALE_SIZES, type ScaleRow } from './scale';
import { runScenario } from './scenario';
import { startBenchStack } from './stack';
import { round } from './stats';
import { measureWarm, type WarmResult } from './warm';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = args.has('--docs');
const COLD_RUNS = QUICK ? 5 : 15;
const WARM = QUICK ? { warmup: 100, iterations: 300 } : { warmup: 200, iterations: 1_000 };
const LATENCY_RUNS = QUICK ? 5 : 10;
const SCALE_RUNS = QUICK ? 3 : 9;

const LIMITS = {
  coldRatioHttp: 1.25,
  coldRatioAuthorizer: 1.1,
  assetKb: 10,
  handlerCpuMs: 0.3,
  pageShapeMs: 0.1,
  decisionsPerSecond: 2_000_000,
  jwtMs: 0.15,
  readDollars: 4,
  writeDollars: 6,
} as const;

const started = Date.now();
const phase = (name: string): void => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${name}`);
const kb = (bytes: number): number => bytes / 1024;

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  phase('synthesizing the stack (function assets and the layer, as deployed)');
  const artifacts = synthesizeArtifacts();
  const floor = buildFloorArtifact();
  const roots = new Map<string, LambdaRoot>();
  const rootOf = (fn: FunctionArtifact): LambdaRoot => {
    let root = roots.get(fn.name);
    if (!root) {
      root = layOut(fn.assetDir, artifacts.layerDir);
      roots.set(fn.name, root);
    }
    return root;
  };
  const floorRoot = layOut(floor.assetDir, floor.layerDir);
  const dynamoDb = await startDynamoDbLocal({ inMemory: true });
  try {
    const stack = await startBenchStack(dynamoDb.endpoint);
    const stackEnvironment = {
      TABLE_NAME: stack.tableName,
      TOKEN_ISSUER: LOCAL_TOKEN_ISSUER,
      TOKEN_AUDIENCE: LOCAL_TOKEN_AUDIENCE,
      ADMIN_CLAIM: LOCAL_ADMIN_CLAIM,
      JWKS_URL: 'https://issuer.invalid/.well-known/jwks.json',
      [ENV.userUsageKey]: process.env[ENV.userUsageKey] ?? 'bench-user-traffic',
      [ENV.pageTokenSecret]: 'bench-page-token-secret',
    };

    phase('scripted scenario on DynamoDB Local');
    const scenario = await runScenario(stack);

    phase(`cold starts: ${artifacts.functions.length + 1} artifacts × ${COLD_RUNS} fresh Node processes`);
    const cold = measureColdStarts(
      [
        { name: 'floor', memoryMb: 512, root: floorRoot },
        ...artifacts.functions.map((fn) => ({ name: fn.name, memoryMb: fn.memoryMb, root: rootOf(fn) })),
      ],
      COLD_RUNS,
      stackEnvironment,
      'floor',
    );
    const zodLocales = await zodLocaleBytes();
    const coldByName = new Map(cold.map((entry) => [entry.name, entry]));
    const floorCold = coldByName.get('floor') as ColdStart;

    phase('warm cost per endpoint (DynamoDB answered in process)');
    const warm = new Map<string, { ours: WarmResult; withSdk: WarmResult }>();
    for (const fn of artifacts.functions.filter((f) => f.kind === 'route')) {
      const result = scenario.representative.get(fn.name);
      const handler = result?.invoked.handler;
      if (!result || !handler) continue;
      const input = {
        kind: 'route' as const,
        event: handler.event,
        exchanges: handler.invocation.exchanges,
        outputs: handler.invocation.outputs,
        expectStatus: result.invoked.response.status,
        ...WARM,
      };
      warm.set(fn.name, {
        ours: measureWarm(fn, rootOf(fn), { ...input, mode: 'short-circuit' }, stackEnvironment),
        withSdk: measureWarm(fn, rootOf(fn), { ...input, mode: 'sdk' }, stackEnvironment),
      });
    }
    const authorizerFn = artifacts.functions.find((fn) => fn.kind === 'authorizer') as FunctionArtifact;
    const firstApp = scenario.results.find((r) => r.step.as === 'app' && r.invoked.authorizer)?.invoked.authorizer;
    const firstUser = scenario.results.find((r) => (r.step.as === 'coach' || r.step.as === 'athlete') && r.invoked.authorizer)?.invoked
      .authorizer;
    if (!firstApp || !firstUser) throw new Error('the scenario made no app-key or bearer request');
    const authorizerWarm = {
      appKey: measureWarm(
        authorizerFn,
        rootOf(authorizerFn),
        {
          kind: 'authorizer',
          mode: 'sdk',
          event: firstApp.event,
          exchanges: firstApp.invocation.exchanges,
          outputs: [],
          expectStatus: 200,
          ...WARM,
        },
        stackEnvironment,
      ),
      bearer: measureWarm(
        authorizerFn,
        rootOf(authorizerFn),
        {
          kind: 'authorizer',
          mode: 'sdk',
          event: firstUser.event,
          exchanges: [],
          outputs: [],
          expectStatus: 200,
          jwks: publicJwks(stack.signingKey),
          ...WARM,
        },
        stackEnvironment,
      ),
    };

    phase('privacy engine and JWT verification');
    const policy = measurePolicy(rootOf(authorizerFn));
    const jwt = await measureJwt(rootOf(authorizerFn), stack.signingKey, scenario.world.athleteId);

    phase(`latency: ${LATENCY_RUNS} requests per endpoint over the local stack`);
    const latency = await measureLatency(scenario, stack.gateway.url, LATENCY_RUNS);
    const latencyByRoute = new Map(latency.map((entry) => [entry.route, entry]));

    phase('scale: organizations of 10, 1,000 and 10,000 members');
    await stack.stopStreams();
    const scale = await measureScale(scenario, stack.tableName, dynamoDb.endpoint, SCALE_RUNS);

    await stack.stop();
    phase('cost model and report');
    const report = buildReport({
      zodLocaleBytes: zodLocales,
      artifacts: artifacts.functions,
      layerBytes: sizeOf(artifacts.layerDir),
      floorLayerBytes: sizeOf(floor.layerDir),
      cold: coldByName,
      floorCold,
      scenario,
      warm,
      authorizerWarm,
      policy,
      jwt,
      latencyByRoute,
      scale,
    });
    writeFileSync(join(process.cwd(), 'bench', 'results.json'), `${JSON.stringify(report.json, null, 2)}\n`);
    console.log(report.markdown);
    if (WRITE_DOCS) writeDocs(report.markdown);
    const missed = report.json.targets.filter((target) => target.met === false).length;
    phase(
      `done: ${report.json.targets.length} targets, ${missed} missed; bench/results.json written${WRITE_DOCS ? ', docs/benchmarks.md updated' : ''}`,
    );
  } finally {
    await dynamoDb.stop();
    for (const root of roots.values()) root.dispose();
    floorRoot.dispose();
    floor.dispose();
    artifacts.dispose();
  }
}

interface ReportInput {
  readonly zodLocaleBytes: number;
  readonly artifacts: readonly FunctionArtifact[];
  readonly layerBytes: number;
  readonly floorLayerBytes: number;
  readonly cold: ReadonlyMap<string, ColdStart>;
  readonly floorCold: ColdStart;
  readonly scenario: Awaited<ReturnType<typeof runScenario>>;
  readonly warm: ReadonlyMap<string, { ours: WarmResult; withSdk: WarmResult }>;
  readonly authorizerWarm: { appKey: WarmResult; bearer: WarmResult };
  readonly policy: ReturnType<typeof measurePolicy>;
  readonly jwt: Awaited<ReturnType<typeof measureJwt>>;
  readonly latencyByRoute: ReadonlyMap<string, Latency>;
  readonly scale: readonly ScaleRow[];
}

/** RSS after the first invocation, from the warm run with the SDK (stream consumers have none). */
function rssAfterFirstMb(input: ReportInput, fn: FunctionArtifact): number | null {
  const warm = fn.kind === 'authorizer' ? input.authorizerWarm.appKey : input.warm.get(fn.name)?.withSdk;
  return warm ? round(warm.rssAfterFirstBytes / 1024 ** 2, 1) : null;
}

function buildReport(input: ReportInput) {
  const targets: Target[] = [];
  const { scenario } = input;
  const memoryOf = (name: string): number => input.artifacts.find((fn) => fn.name === name)?.memoryMb ?? 512;

  // 1. Cold starts and sizes
  const coldRows: Cell[][] = [];
  for (const fn of input.artifacts) {
    const entry = input.cold.get(fn.name) as ColdStart;
    const ratio = entry.importMedianMs / input.floorCold.importMedianMs;
    const limit = fn.kind === 'authorizer' ? LIMITS.coldRatioAuthorizer : fn.kind === 'route' ? LIMITS.coldRatioHttp : null;
    if (limit !== null) {
      targets.push({
        name: `cold start ÷ floor: ${fn.name}`,
        value: round(ratio, 2),
        unit: '× floor',
        limit,
        met: ratio <= limit,
        ...(ratio > limit
          ? { note: `${formatNumber(entry.importMedianMs)} ms vs floor ${formatNumber(input.floorCold.importMedianMs)} ms` }
          : {}),
      });
    }
    const assetBytes = sizeOf(fn.assetDir);
    targets.push({
      name: `function asset: ${fn.name}`,
      value: round(kb(assetBytes), 2),
      unit: 'KB',
      limit: LIMITS.assetKb,
      met: kb(assetBytes) <= LIMITS.assetKb,
    });
    coldRows.push([
      fn.name,
      fn.kind,
      entry.importMedianMs,
      entry.importCpuMedianMs,
      entry.readyMedianMs,
      round(ratio, 2),
      kb(assetBytes),
      kb(entry.loadedBytes),
      entry.loadedFiles.length,
      rssAfterFirstMb(input, fn),
      entry.loadsJose ? 'yes' : 'no',
      entry.loadsZodLocales ? 'yes' : 'no',
    ]);
  }
  coldRows.push([
    'floor (DynamoDB document client only)',
    'floor',
    input.floorCold.importMedianMs,
    input.floorCold.importCpuMedianMs,
    input.floorCold.readyMedianMs,
    1,
    null,
    kb(input.floorCold.loadedBytes),
    input.floorCold.loadedFiles.length,
    null,
    'no',
    'no',
  ]);
  const withLocales = input.artifacts.filter((fn) => input.cold.get(fn.name)?.loadsZodLocales).map((fn) => fn.name);
  targets.push({
    name: 'functions loading code they never call: zod’s locale messages',
    value: withLocales.length,
    unit: 'functions',
    limit: 0,
    met: withLocales.length === 0,
    ...(withLocales.length
      ? {
          note: `${formatNumber(kb(input.zodLocaleBytes), 0)} KB of locales in each (the whole z namespace is re-exported by @astral/lib/http)`,
        }
      : {}),
  });
  const joseOutside = input.artifacts
    .filter((fn) => fn.name !== AUTHORIZER.name && input.cold.get(fn.name)?.loadsJose)
    .map((fn) => fn.name);
  targets.push({
    name: 'functions other than the authorizer that load jose',
    value: joseOutside.length,
    unit: 'functions',
    limit: 0,
    met: joseOutside.length === 0,
    ...(joseOutside.length ? { note: joseOutside.join(', ') } : {}),
  });

  // 2. Warm cost
  const warmRows: Cell[][] = [];
  for (const route of ROUTES) {
    const entry = input.warm.get(route.name);
    const calls = scenario.representative.get(route.name)?.invoked.handler?.invocation.calls.length;
    if (!entry) {
      targets.push({
        name: `handler CPU p50: ${route.name}`,
        value: null,
        unit: 'ms',
        limit: LIMITS.handlerCpuMs,
        met: null,
        note: 'no scenario step for this route yet',
      });
      continue;
    }
    targets.push({
      name: `handler CPU p50: ${route.name}`,
      value: round(entry.ours.cpuP50Ms, 3),
      unit: 'ms',
      limit: LIMITS.handlerCpuMs,
      met: entry.ours.cpuP50Ms <= LIMITS.handlerCpuMs,
    });
    const lat = input.latencyByRoute.get(route.name);
    warmRows.push([
      route.name,
      calls,
      entry.ours.cpuP50Ms,
      entry.ours.cpuP99Ms,
      entry.withSdk.cpuP50Ms,
      entry.withSdk.cpuP99Ms,
      lat?.handlerP50Ms,
      lat?.endToEndP50Ms,
      lat?.endToEndP99Ms,
    ]);
  }
  warmRows.push([
    'authorizer, cached app key',
    0,
    null,
    null,
    input.authorizerWarm.appKey.cpuP50Ms,
    input.authorizerWarm.appKey.cpuP99Ms,
    null,
    null,
    null,
  ]);
  warmRows.push([
    'authorizer, bearer JWT (ES256)',
    0,
    null,
    null,
    input.authorizerWarm.bearer.cpuP50Ms,
    input.authorizerWarm.bearer.cpuP99Ms,
    null,
    null,
    null,
  ]);
  const worstPage = Math.max(input.policy.feedPage.p50Ms, input.policy.athletePage.p50Ms);
  targets.push({
    name: 'privacy: shape a 100-activity page (worst of athlete page, 25-athlete feed page), p50',
    value: round(worstPage, 4),
    unit: 'ms',
    limit: LIMITS.pageShapeMs,
    met: worstPage <= LIMITS.pageShapeMs,
  });
  targets.push({
    name: 'privacy: field-group decisions per second, one core (at least)',
    value: Math.round(input.policy.decisions.perSecond),
    unit: 'decisions/s',
    limit: LIMITS.decisionsPerSecond,
    met: input.policy.decisions.perSecond >= LIMITS.decisionsPerSecond,
  });

  // 3. DynamoDB work
  const dynamoRows: Cell[][] = [];
  let scans = 0;
  for (const route of ROUTES) {
    const result = scenario.representative.get(route.name);
    const design = DESIGNED[route.name];
    const calls = result?.invoked.handler?.invocation.calls ?? [];
    scans += calls.filter((call) => call.operation === 'Scan').length;
    if (!result) {
      targets.push({
        name: `DynamoDB calls: ${route.name}`,
        value: null,
        unit: 'calls',
        limit: design?.calls.length ?? null,
        met: null,
        note: 'no scenario step for this route yet',
      });
      continue;
    }
    const check = design ? checkAgainstDesign(calls, design) : { met: false, problems: ['no designed minimum in bench/designed.ts'] };
    targets.push({
      name: `DynamoDB calls: ${route.name}`,
      value: calls.length,
      unit: 'calls',
      limit: design?.calls.length ?? null,
      met: check.met,
      ...(check.met ? {} : { note: check.problems.join('; ') }),
    });
    const sums = totals(calls);
    const audit = result.consumers.flatMap((consumer) => consumer.invocation.calls);
    dynamoRows.push([
      route.name,
      calls
        .map(
          (call) =>
            `${call.operation}${call.index ? ' (index)' : call.consistent === true ? ' (strong)' : call.consistent === false ? ' (eventual)' : ''}`,
        )
        .join(', '),
      calls.length,
      design?.calls.length,
      sums.readUnits,
      sums.writeUnits,
      sums.indexUnits,
      result.consumers.length,
      totals(audit).writeUnits,
      design?.source,
    ]);
  }
  for (const result of scenario.results)
    scans += (result.invoked.authorizer?.invocation.calls ?? []).filter((call) => call.operation === 'Scan').length;
  targets.push({ name: 'Scan calls in the whole scenario', value: scans, unit: 'calls', limit: 0, met: scans === 0 });
  const appKeyWarmCalls = input.authorizerWarm.appKey.callsPerInvocation;
  targets.push({
    name: 'warm authorizer: DynamoDB calls for a cached app key',
    value: appKeyWarmCalls,
    unit: 'calls',
    limit: AUTHORIZER_DESIGNED.cachedAppKey.calls.length,
    met: appKeyWarmCalls === 0,
  });
  const es256 = input.jwt.ES256;
  targets.push({
    name: 'JWT verification CPU p50 (ES256, the local issuer’s algorithm)',
    value: round(es256?.cpuP50Ms ?? Number.NaN, 3),
    unit: 'ms',
    limit: LIMITS.jwtMs,
    met: (es256?.cpuP50Ms ?? Infinity) <= LIMITS.jwtMs,
  });
  const authorizerRows: Cell[][] = [
    [
      'first request with an app key (cold cache)',
      scenario.results.find((r) => r.step.as === 'app')?.invoked.authorizer?.invocation.calls.length,
      AUTHORIZER_DESIGNED.coldAppKey.calls.length,
    ],
    ['later requests with the same key (warm container)', appKeyWarmCalls, 0],
    ['bearer token', input.authorizerWarm.bearer.callsPerInvocation, 0],
  ];

  // 4. Scale
  const scaleRows: Cell[][] = input.scale.map((row) => [
    row.label,
    row.members,
    row.route ?? 'not yet built',
    row.calls,
    row.items,
    row.readUnits,
    row.readUsdPerMillion,
    row.pageMs,
  ]);
  for (const scaleCase of SCALE_CASES) {
    const rows = input.scale.filter((row) => row.label === scaleCase.label);
    if (rows.every((row) => row.calls === undefined)) {
      targets.push({
        name: `constant in organization size: ${scaleCase.label}`,
        value: null,
        unit: 'calls (10,000 − 10 members)',
        limit: 0,
        met: null,
        note: 'not yet built',
      });
      continue;
    }
    const small = rows.find((row) => row.members === SCALE_SIZES[0])?.calls ?? 0;
    const largest = SCALE_SIZES[SCALE_SIZES.length - 1] ?? 0;
    const large = rows.find((row) => row.members === largest)?.calls ?? 0;
    if (scaleCase.designedCalls) {
      // Not a paged read: it may grow with the organization, as its design says, and no more.
      const designed = scaleCase.designedCalls(largest);
      targets.push({
        name: `within its designed calls at ${largest.toLocaleString('en-US')} members: ${scaleCase.label}`,
        value: large,
        unit: 'calls',
        limit: designed,
        met: large <= designed,
      });
    } else {
      targets.push({
        name: `constant in organization size: ${scaleCase.label}`,
        value: large - small,
        unit: 'calls (10,000 − 10 members)',
        limit: 0,
        met: large === small,
      });
    }
  }

  // 5. Cost
  const costRows: Cell[][] = [];
  const costs = new Map<string, CostBreakdown>();
  for (const route of ROUTES) {
    const result = scenario.representative.get(route.name);
    const warm = input.warm.get(route.name);
    const lat = input.latencyByRoute.get(route.name);
    if (!result || !warm || !lat) continue;
    const sums = totals(result.invoked.handler?.invocation.calls ?? []);
    const handlerRun: FunctionRun = { wallMs: lat.handlerP50Ms, cpuMs: warm.withSdk.cpuP50Ms, memoryMb: memoryOf(route.name) };
    const authorizerCpu = result.step.as === 'app' ? input.authorizerWarm.appKey.cpuP50Ms : input.authorizerWarm.bearer.cpuP50Ms;
    const authorizerRun: FunctionRun | undefined =
      route.credentials.length > 0
        ? { wallMs: lat.authorizerP50Ms ?? authorizerCpu, cpuMs: authorizerCpu, memoryMb: memoryOf(AUTHORIZER.name) }
        : undefined;
    const audit = result.consumers.map((consumer) => ({
      run: { wallMs: consumer.wallMs, cpuMs: 0, memoryMb: memoryOf(consumer.consumer) },
      writeUnits: totals(consumer.invocation.calls).writeUnits,
    }));
    const cost = costPerMillion({
      handler: handlerRun,
      ...(authorizerRun ? { authorizer: authorizerRun } : {}),
      readUnits: sums.readUnits,
      writeUnits: sums.writeUnits,
      audit,
    });
    // What API Gateway's authorizer result cache would save on a hit: the authorizer invocation.
    const cachedAuthorizer = costPerMillion({ handler: handlerRun, readUnits: sums.readUnits, writeUnits: sums.writeUnits, audit });
    costs.set(route.name, cost);
    const writes = (result.invoked.handler?.invocation.calls ?? []).filter(
      (call) =>
        call.writeUnits > 0 || ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'].includes(call.operation),
    );
    const itemsWritten = writes.reduce((sum, call) => sum + call.items, 0);
    const kind = route.method === 'GET' ? 'read' : itemsWritten <= 1 ? 'single-item write' : `write of ${itemsWritten} items`;
    if (kind === 'read')
      targets.push({
        name: `cost per million: ${route.name}`,
        value: round(cost.total, 2),
        unit: '$/M requests',
        limit: LIMITS.readDollars,
        met: cost.total <= LIMITS.readDollars,
      });
    else if (kind === 'single-item write')
      targets.push({
        name: `cost per million (with audit): ${route.name}`,
        value: round(cost.total, 2),
        unit: '$/M requests',
        limit: LIMITS.writeDollars,
        met: cost.total <= LIMITS.writeDollars,
      });
    costRows.push([
      route.name,
      kind,
      cost.apiGateway,
      cost.lambdaRequests,
      cost.lambdaDuration,
      cost.dynamoDbReads,
      cost.dynamoDbWrites,
      cost.audit,
      cost.total,
      authorizerRun ? cachedAuthorizer.total : null,
    ]);
  }
  let weightSum = 0;
  let mixTotal = 0;
  for (const route of ROUTES) {
    const cost = costs.get(route.name);
    if (!cost) continue;
    weightSum += mixWeight(route);
    mixTotal += mixWeight(route) * cost.total;
  }
  const mix = weightSum > 0 ? mixTotal / weightSum : Number.NaN;
  costRows.push(['typical mix (bench/cost.ts)', 'mix', null, null, null, null, null, null, mix, null]);

  const json = {
    machine: machine(),
    prices: PRICES,
    targets: targets.map(({ name, value, unit, limit, met, note }) => ({ name, value, unit, limit, met, ...(note ? { note } : {}) })),
    coldStarts: [...input.cold.values()],
    sizes: {
      layerBytes: input.layerBytes,
      floorLayerBytes: input.floorLayerBytes,
      functions: Object.fromEntries(input.artifacts.map((fn) => [fn.name, sizeOf(fn.assetDir)])),
    },
    warm: Object.fromEntries(input.warm),
    authorizer: input.authorizerWarm,
    policy: input.policy,
    jwt: input.jwt,
    latency: [...input.latencyByRoute.values()],
    dynamoDb: Object.fromEntries(
      [...scenario.representative].map(([name, result]) => [
        name,
        {
          handler: result.invoked.handler?.invocation.calls,
          authorizer: result.invoked.authorizer?.invocation.calls,
          audit: result.consumers.map((c) => ({ records: c.records, calls: c.invocation.calls })),
        },
      ]),
    ),
    scale: input.scale,
    cost: { perRoute: Object.fromEntries(costs), typicalMix: mix },
  };

  const m = json.machine;
  const markdown = [
    `Run ${m.date} on ${m.cpu} (${m.cores} cores), ${m.memoryGb} GB, ${m.os}, Node ${m.node}. Prices: ${PRICES.region}, list prices as of ${PRICES.asOf} (bench/prices.ts).`,
    '',
    '### Targets',
    '',
    markdownTable(['target', 'value', 'unit', 'limit', 'verdict', 'note'], targetRows(targets)),
    '',
    '### Cold start proxy and sizes',
    '',
    `Median of ${COLD_RUNS} fresh Node processes per artifact (${input.floorCold.runs} for the floor) (function asset as /var/task, layer as /opt). "import" is the time to import the handler module; "ready" adds Node's own start-up. Layer: ${formatNumber(kb(input.layerBytes))} KB unzipped; floor layer: ${formatNumber(kb(input.floorLayerBytes))} KB.`,
    '',
    markdownTable(
      [
        'function',
        'kind',
        'import ms',
        'import CPU ms',
        'ready ms',
        '÷ floor',
        'asset KB',
        'loaded KB',
        'files loaded',
        'RSS after 1st invocation MB',
        'jose',
        'zod locales',
      ],
      coldRows,
    ),
    '',
    '### Warm cost per request',
    '',
    `CPU per request over ${WARM.iterations} warm invocations of the deployed artifact. "ours": DynamoDB answered before the SDK (our code only: validation, pipeline, policy, shaping, JSON, the log line). "with SDK": answered below the SDK (marshalling, serialization, SigV4 signing and parsing included). Handler and end-to-end times are on DynamoDB Local (${LATENCY_RUNS} requests each).`,
    '',
    markdownTable(
      [
        'endpoint',
        'DynamoDB calls',
        'ours p50 ms',
        'ours p99 ms',
        'with SDK p50 ms',
        'with SDK p99 ms',
        'handler on DDB Local p50 ms',
        'end-to-end p50 ms',
        'end-to-end p99 ms',
      ],
      warmRows,
    ),
    '',
    `Privacy engine: ${formatNumber(Math.round(input.policy.decisions.perSecond), 0)} field-group decisions/s (decision table warm), ${formatNumber(Math.round(input.policy.evaluationsPerSecond), 0)} rule evaluations/s (first sight of a combination); 100-activity page of one athlete ${formatNumber(input.policy.athletePage.p50Ms, 4)} ms p50 (${formatNumber(input.policy.athletePage.p99Ms, 4)} p99), feed page of 25 athletes ${formatNumber(input.policy.feedPage.p50Ms, 4)} ms p50 (${formatNumber(input.policy.feedPage.p99Ms, 4)} p99).`,
    '',
    `JWT verification (lib/auth createTokenVerifier, one at a time): ${Object.entries(input.jwt)
      .map(([alg, r]) => `${alg} ${formatNumber(Math.round(r.perSecond), 0)}/s, CPU p50 ${formatNumber(r.cpuP50Ms, 3)} ms`)
      .join('; ')}.`,
    '',
    '### DynamoDB work per endpoint (scripted scenario, ReturnConsumedCapacity reported by DynamoDB Local)',
    '',
    markdownTable(
      ['endpoint', 'calls', 'count', 'designed', 'RRU', 'WRU', 'of which index', 'audit invocations', 'audit WRU', 'design source'],
      dynamoRows,
    ),
    '',
    markdownTable(['authorizer', 'DynamoDB calls', 'designed'], authorizerRows),
    '',
    '### Scale (handler in process on DynamoDB Local, per page)',
    '',
    markdownTable(['case', 'members', 'route', 'calls', 'items read', 'RRU', 'DynamoDB $ per million pages', 'ms per page'], scaleRows),
    '',
    '### Dollars per million requests',
    '',
    markdownTable(
      [
        'endpoint',
        'kind',
        'API Gateway',
        'Lambda requests',
        'Lambda duration',
        'DynamoDB reads',
        'DynamoDB writes',
        'audit record (included)',
        'total',
        'total, authorizer result cached',
      ],
      costRows.map((row) => row.map((cell) => (typeof cell === 'number' ? round(cell, 3) : cell))),
    ),
  ].join('\n');
  return { json, markdown };
}

const DOCS_START = '<!-- bench:results:start -->';
const DOCS_END = '<!-- bench:results:end -->';

function writeDocs(markdown: string): void {
  const path = join(process.cwd(), 'docs', 'benchmarks.md');
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf(DOCS_START);
  const end = current.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${DOCS_START} … ${DOCS_END} section`);
  writeFileSync(path, `${current.slice(0, start + DOCS_START.length)}\n${markdown}\n${current.slice(end)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
