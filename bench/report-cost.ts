import { AUTHORIZER, ROUTES, type RouteDefinition } from '../functions/manifest';
import { accessLogBytes, type CostAssumptions, type CostBreakdown, costPerMillion, type FunctionRun, mixWeight, routeKind } from './cost';
import { type Measurements, WARM_KEYS } from './measure';
import type { BenchOptions } from './options';
import { PRICES } from './prices';
import { type Cell, markdownTable, type Section, type Target } from './report';
import { DESIGNED_UNITS } from './designed';
import { unitsOf } from './report-dynamo';
import type { StepResult } from './scenario';
import { round } from './stats';
import { LIMITS } from './targets';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** read, single-item write (audited when a stream consumer follows it), or a write of several items (a transaction). */
function kindOf(route: RouteDefinition, result: StepResult): string {
  if (route.method === 'GET') return 'read';
  const written = (result.invoked.handler?.invocation.calls ?? [])
    .filter((call) => WRITES.has(call.operation))
    .reduce((sum, call) => sum + call.items, 0);
  if (written > 1) return `write of ${written} items`;
  return result.consumers.length > 0 ? 'audited single-item write' : 'single-item write';
}

/** One route's request, priced; undefined when a measurement is missing. */
function routeCost(input: Measurements, route: RouteDefinition, assumptions: CostAssumptions): CostBreakdown | undefined {
  const result = input.scenario.representative.get(route.name);
  const warm = input.warm.get(route.name)?.sdk;
  const lat = input.latencyByRoute.get(route.name);
  if (!result || !warm || !lat) return undefined;
  const memoryOf = (name: string): number => input.artifacts.find((fn) => fn.name === name)?.memoryMb ?? 512;
  const initOf = (name: string): number => input.cold.get(name)?.readyMedianMs ?? 0;
  const handler: FunctionRun = {
    wallMs: lat.handlerP50Ms,
    cpuMs: warm.cpuP50Ms,
    memoryMb: memoryOf(route.name),
    logBytes: warm.logBytes,
    logLines: warm.logLines,
    initMs: initOf(route.name),
  };
  const authorizerWarm = input.warm.get(result.step.as === 'app' ? WARM_KEYS.appKey : WARM_KEYS.bearer)?.sdk;
  const authorizer: FunctionRun | undefined =
    route.credentials.length > 0 && authorizerWarm
      ? {
          wallMs: lat.authorizerP50Ms ?? authorizerWarm.wallP50Ms,
          cpuMs: authorizerWarm.cpuP50Ms,
          memoryMb: memoryOf(AUTHORIZER.name),
          logBytes: authorizerWarm.logBytes,
          logLines: authorizerWarm.logLines,
          initMs: initOf(AUTHORIZER.name),
        }
      : undefined;
  const units = unitsOf(result);
  // The consumers' own log lines are not measured (they run in the bench's process): Lambda's lines only.
  const consumers = result.consumers.map((consumer) => ({
    run: { wallMs: consumer.wallMs, cpuMs: 0, memoryMb: memoryOf(consumer.consumer), logBytes: 0, logLines: 0, initMs: 0 },
    writeUnits: consumer.invocation.calls.reduce((sum, call) => sum + call.writeUnits, 0),
  }));
  return costPerMillion(
    {
      kind: routeKind(route),
      handler,
      ...(authorizer ? { authorizer } : {}),
      readUnits: units.read,
      writeUnits: units.write,
      consumers,
      responseBytes: lat.responseBytes,
      accessLogBytes: accessLogBytes(route, lat.status, lat.responseBytes),
    },
    assumptions,
  );
}

/**
 * What a request costs before the handler's own milliseconds, when its DynamoDB work is the design's
 * (bench/designed.ts, each unit justified there by privacy.md or the data model): the authorizer's
 * share, the designed RRU and WRU, and the stream consumers the write sets off. A limit below this
 * cannot be met by any handler that keeps the design, which the target's note then says.
 */
function designFloor(route: RouteDefinition, cost: CostBreakdown): number | undefined {
  const designed = DESIGNED_UNITS[route.name];
  if (!designed) return undefined;
  const units = designed.read * PRICES.dynamoDbPerMillionReadRequestUnits + designed.write * PRICES.dynamoDbPerMillionWriteRequestUnits;
  return cost.authorizer + units + cost.streamConsumers;
}

function costTarget(route: RouteDefinition, kind: string, cost: CostBreakdown): Target | undefined {
  const limit = kind === 'read' ? LIMITS.readControlled : kind.endsWith('single-item write') ? LIMITS.writeControlled : undefined;
  if (!limit) return undefined;
  const floor = designFloor(route, cost);
  const overFloor =
    floor !== undefined && floor > limit.limit
      ? `; design floor $${floor.toFixed(2)} (authorizer share, designed units, stream consumers) is over the limit before the handler's $${cost.handlerDuration.toFixed(3)}`
      : '';
  return {
    name: `controlled cost per million${kind === 'read' ? '' : ' (stream consumers included)'}: ${route.name}`,
    value: round(cost.controlled, 3),
    unit: limit.unit,
    limit: limit.limit,
    met: cost.controlled <= limit.limit,
    reason: limit.reason,
    note: `full bill $${cost.bill.toFixed(2)}${cost.controlled > limit.limit ? overFloor : ''}`,
  };
}

const COLUMNS = [
  'endpoint',
  'kind',
  'credentials',
  'authorizer cache hits',
  'handler GB-s',
  'authorizer share',
  'DynamoDB reads',
  'DynamoDB writes',
  'stream consumers',
  'controlled',
  'controlled, no cache',
  'API Gateway',
  'handler request',
  'logs',
  'log B/request',
  'X-Ray',
  'data out',
  'response B',
  'init',
  'full bill',
] as const;

const costRow = (route: RouteDefinition, kind: string, cost: CostBreakdown, today: CostBreakdown): Cell[] => [
  route.name,
  kind,
  routeKind(route),
  cost.authorizerHitRate,
  cost.handlerDuration,
  cost.authorizer,
  cost.dynamoDbReads,
  cost.dynamoDbWrites,
  cost.streamConsumers,
  cost.controlled,
  today.controlled,
  cost.apiGateway,
  cost.handlerRequest,
  cost.logs,
  Math.round(cost.logBytesPerRequest),
  cost.xRay,
  cost.dataTransferOut,
  cost.responseBytes,
  cost.init,
  cost.bill,
];

/** Dollars per million requests: what the code controls (the targets), and the full bill beside it. */
export function costSection(input: Measurements, options: BenchOptions): Section {
  const { assumptions } = options;
  const noCache: CostAssumptions = { ...assumptions, authorizerHitRate: { user: 0, app: 0, both: 0 } };
  const targets: Target[] = [];
  const rows: Cell[][] = [];
  const costs = new Map<string, CostBreakdown>();
  const mixSums = { weights: 0, controlled: 0, bill: 0 };
  for (const route of ROUTES) {
    const cost = routeCost(input, route, assumptions);
    const today = routeCost(input, route, noCache);
    const result = input.scenario.representative.get(route.name);
    if (!cost || !today || !result) continue;
    const kind = kindOf(route, result);
    costs.set(route.name, cost);
    const target = costTarget(route, kind, cost);
    if (target) targets.push(target);
    mixSums.weights += mixWeight(route);
    mixSums.controlled += mixWeight(route) * cost.controlled;
    mixSums.bill += mixWeight(route) * cost.bill;
    rows.push(costRow(route, kind, cost, today));
  }
  const mix = { controlled: mixSums.controlled / mixSums.weights, bill: mixSums.bill / mixSums.weights };
  const mixRow: Cell[] = COLUMNS.map(() => null);
  mixRow[0] = 'typical mix (bench/cost.ts)';
  mixRow[1] = 'mix';
  mixRow[COLUMNS.indexOf('controlled')] = mix.controlled;
  mixRow[COLUMNS.indexOf('full bill')] = mix.bill;
  rows.push(mixRow);
  return {
    targets,
    markdown: [
      '### Dollars per million requests',
      '',
      assumptionsText(assumptions),
      '',
      markdownTable(
        COLUMNS,
        rows.map((row) => row.map((cell) => (typeof cell === 'number' ? round(cell, 3) : cell))),
      ),
    ],
    json: { prices: PRICES, assumptions, cost: { perRoute: Object.fromEntries(costs), typicalMix: mix } },
  };
}

function assumptionsText(assumptions: CostAssumptions): string {
  const hits = assumptions.authorizerHitRate;
  return `Assumptions (bench/cost.ts, set with \`--authorizer-hit=user:…,app:…\`, \`--xray-sampled=…\`, \`--records-per-consumer-invocation=…\`, \`--cold-start-share=…\`): authorizer result cache hit rate ${hits.user} for user-only routes (TTL 300 s on \`Authorization\`), ${hits.app} for app-only routes (TTL 30 s on \`X-API-Key\`), ${hits.both} for routes accepting both (uncached); X-Ray records ${assumptions.xRaySampledFraction} of requests; ${assumptions.recordsPerConsumerInvocation} stream record(s) per consumer invocation; ${assumptions.coldStartShare} of invocations start a new environment (init billed: the cold-start proxy's "ready" time at the function's memory). "controlled" is the target's sum: handler GB-s, the authorizer's share, RRU, WRU, stream consumers. "controlled, no cache" is the same with every authorizer call invoked (today's stack until the cached authorizers land). Logs: the function's measured lines with Lambda's prefix, Lambda's START/END/REPORT lines, the stage's access log line ($${PRICES.cloudWatchLogsIngestionPerGb}/GB ingested). Data out: the measured response (status line, headers, body) at $${PRICES.dataTransferOutPerGb}/GB. Stream consumers' own log lines are not measured (Lambda's lines are counted).`;
}
