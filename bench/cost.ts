import type { RouteDefinition } from '../functions/manifest';
import { LAMBDA_MODEL, PRICES } from './prices';

/**
 * Who may call a route, which decides whether an authorizer runs and whether API Gateway may cache
 * its answer: `user` routes (bearer token only) and `app` routes (app key only) can each have a
 * caching authorizer keyed on their one header; routes accepting both stay uncached (issue 14).
 */
export type RouteKind = 'public' | 'user' | 'app' | 'both';

export const routeKind = (route: Pick<RouteDefinition, 'credentials'>): RouteKind =>
  route.credentials.length === 0 ? 'public' : route.credentials.length > 1 ? 'both' : route.credentials[0] === 'app' ? 'app' : 'user';

/** What the model cannot measure here and assumes instead; each is printed with the results and can be set on the command line. */
export interface CostAssumptions {
  /**
   * Share of requests answered from API Gateway's authorizer result cache. `user`: TTL 300 s on
   * `Authorization`; a signed-in athlete who opens ten screens in five minutes misses once (0.9).
   * `app`: TTL 30 s on `X-API-Key`; an integration's calls come in bursts, assumed two per key per
   * 30 s (0.5). `both`: uncached.
   */
  readonly authorizerHitRate: Readonly<Record<Exclude<RouteKind, 'public'>, number>>;
  /**
   * Share of requests X-Ray records. The default sampling rule traces the first request each second
   * and 5 % of the rest: 0.05 at a steady load well above 1 request/s (below it, nearly every request).
   */
  readonly xRaySampledFraction: number;
  /**
   * Stream records per stream consumer invocation: 1 on a quiet stream (what the scenario measures);
   * more under load or with a batching window. Divides the consumers' request charge only.
   */
  readonly recordsPerConsumerInvocation: number;
  /**
   * Share of invocations that start a new execution environment, whose init Lambda bills (since
   * August 2025). 0.01: steady traffic keeps environments warm for minutes; a spiky API sees more.
   */
  readonly coldStartShare: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  authorizerHitRate: { user: 0.9, app: 0.5, both: 0 },
  xRaySampledFraction: 0.05,
  recordsPerConsumerInvocation: 1,
  coldStartShare: 0.01,
};

/** `--authorizer-hit=user:0.8,app:0.3 --xray-sampled=0.1 --records-per-consumer-invocation=10 --cold-start-share=0.05`; anything unset keeps its default. */
export function assumptionsFrom(args: readonly string[]): CostAssumptions {
  const value = (name: string): string | undefined => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number`);
    return parsed;
  };
  const hits = { ...DEFAULT_ASSUMPTIONS.authorizerHitRate };
  for (const pair of (value('authorizer-hit') ?? '').split(',').filter(Boolean)) {
    const [kind, rate] = pair.split(':');
    if (kind !== 'user' && kind !== 'app' && kind !== 'both') throw new Error(`--authorizer-hit: unknown route kind ${kind}`);
    const parsed = Number(rate);
    if (!(parsed >= 0 && parsed <= 1)) throw new Error(`--authorizer-hit: ${kind} needs a rate between 0 and 1`);
    hits[kind] = parsed;
  }
  return {
    authorizerHitRate: hits,
    xRaySampledFraction: number('xray-sampled', DEFAULT_ASSUMPTIONS.xRaySampledFraction),
    recordsPerConsumerInvocation: Math.max(1, number('records-per-consumer-invocation', DEFAULT_ASSUMPTIONS.recordsPerConsumerInvocation)),
    coldStartShare: Math.min(1, number('cold-start-share', DEFAULT_ASSUMPTIONS.coldStartShare)),
  };
}

export interface FunctionRun {
  /** Wall time of one invocation on this machine against DynamoDB Local (one full core). */
  readonly wallMs: number;
  /** CPU of one warm invocation on one full core (SDK included). */
  readonly cpuMs: number;
  readonly memoryMb: number;
  /** Bytes and lines the function itself logs per invocation (measured in the warm run; 0 where not measured). */
  readonly logBytes: number;
  readonly logLines: number;
  /** Init of a new execution environment (the cold-start proxy's "ready": Node start-up and the module import). */
  readonly initMs: number;
}

export interface RequestWork {
  readonly kind: RouteKind;
  readonly handler: FunctionRun;
  /** Undefined for public routes (no authorizer runs). */
  readonly authorizer?: FunctionRun;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Stream consumer invocations the request caused (audit log, feed projector), with their own writes. */
  readonly consumers: readonly { readonly run: FunctionRun; readonly writeUnits: number }[];
  /** Response as sent to the client: status line, headers and body. */
  readonly responseBytes: number;
  /** The stage's access log line for this request. */
  readonly accessLogBytes: number;
}

/** Dollars per million requests, by component. */
export interface CostBreakdown {
  /** What the code controls. */
  readonly handlerDuration: number;
  /** The authorizer's request and duration, times its cache-miss share. */
  readonly authorizer: number;
  readonly dynamoDbReads: number;
  readonly dynamoDbWrites: number;
  /** Stream consumers: their requests (per `recordsPerConsumerInvocation`), duration and writes. */
  readonly streamConsumers: number;
  readonly controlled: number;
  /** The rest of the bill. */
  readonly apiGateway: number;
  readonly handlerRequest: number;
  readonly logs: number;
  readonly xRay: number;
  readonly dataTransferOut: number;
  /** Billed init of the cold starts among the handler's and the authorizer's invocations. */
  readonly init: number;
  readonly bill: number;
  /** Inputs worth printing. */
  readonly authorizerHitRate: number;
  readonly logBytesPerRequest: number;
  readonly responseBytes: number;
}

/**
 * Billed milliseconds of one invocation at its memory size: the wall time measured here, plus the
 * extra time its CPU work takes on the fraction of a vCPU that memory buys (a full one at 1,769 MB),
 * rounded up to Lambda's 1 ms granularity.
 */
export function billedMs(run: FunctionRun): number {
  const share = Math.min(1, run.memoryMb / LAMBDA_MODEL.fullVcpuMemoryMb);
  const ms = run.wallMs + run.cpuMs * (1 / share - 1);
  return Math.max(LAMBDA_MODEL.billingGranularityMs, Math.ceil(ms / LAMBDA_MODEL.billingGranularityMs) * LAMBDA_MODEL.billingGranularityMs);
}

/** Dollars per million invocations of a function's billed duration. */
const durationPerMillion = (run: FunctionRun): number => (billedMs(run) / 1000) * (run.memoryMb / 1024) * PRICES.lambdaArmPerGbSecond * 1e6;
const GB = 1024 ** 3;
/** What one invocation puts into CloudWatch Logs: its lines with Lambda's prefix, and Lambda's START/END/REPORT. */
const logBytesOf = (run: FunctionRun): number =>
  run.logBytes + run.logLines * LAMBDA_MODEL.logLinePrefixBytes + LAMBDA_MODEL.platformLogBytesPerInvocation;

export function costPerMillion(work: RequestWork, assumptions: CostAssumptions): CostBreakdown {
  const hitRate = work.kind === 'public' ? 0 : assumptions.authorizerHitRate[work.kind];
  const miss = 1 - hitRate;
  const handlerDuration = durationPerMillion(work.handler);
  const authorizer = work.authorizer ? miss * (PRICES.lambdaPerMillionRequests + durationPerMillion(work.authorizer)) : 0;
  const dynamoDbReads = work.readUnits * PRICES.dynamoDbPerMillionReadRequestUnits;
  const dynamoDbWrites = work.writeUnits * PRICES.dynamoDbPerMillionWriteRequestUnits;
  const streamConsumers = work.consumers.reduce(
    (sum, consumer) =>
      sum +
      PRICES.lambdaPerMillionRequests / assumptions.recordsPerConsumerInvocation +
      durationPerMillion(consumer.run) +
      consumer.writeUnits * PRICES.dynamoDbPerMillionWriteRequestUnits,
    0,
  );
  const controlled = handlerDuration + authorizer + dynamoDbReads + dynamoDbWrites + streamConsumers;

  const logBytesPerRequest =
    logBytesOf(work.handler) +
    (work.authorizer ? miss * logBytesOf(work.authorizer) : 0) +
    work.consumers.reduce((sum, consumer) => sum + logBytesOf(consumer.run) / assumptions.recordsPerConsumerInvocation, 0) +
    work.accessLogBytes;
  const apiGateway = PRICES.apiGatewayRestPerMillionRequests;
  const handlerRequest = PRICES.lambdaPerMillionRequests;
  const logs = ((logBytesPerRequest * 1e6) / GB) * PRICES.cloudWatchLogsIngestionPerGb;
  const xRay = assumptions.xRaySampledFraction * PRICES.xRayPerMillionTracesRecorded;
  const dataTransferOut = ((work.responseBytes * 1e6) / GB) * PRICES.dataTransferOutPerGb;
  const initOf = (run: FunctionRun): number => durationPerMillion({ ...run, wallMs: run.initMs, cpuMs: 0 }) * assumptions.coldStartShare;
  const init = initOf(work.handler) + (work.authorizer ? miss * initOf(work.authorizer) : 0);
  return {
    handlerDuration,
    authorizer,
    dynamoDbReads,
    dynamoDbWrites,
    streamConsumers,
    controlled,
    apiGateway,
    handlerRequest,
    logs,
    xRay,
    dataTransferOut,
    init,
    bill: controlled + apiGateway + handlerRequest + logs + xRay + dataTransferOut + init,
    authorizerHitRate: hitRate,
    logBytesPerRequest,
    responseBytes: work.responseBytes,
  };
}

/**
 * The access log line API Gateway writes for a request, in the stage's format
 * (infra/constructs/astral-api.ts, keep the two in step), with typical values.
 */
export function accessLogBytes(
  route: Pick<RouteDefinition, 'method' | 'path' | 'credentials'>,
  status: number,
  responseBytes: number,
): number {
  const kind = routeKind(route);
  const line = JSON.stringify({
    request_id: '6f1f7a52-3c0e-4d8e-9b1a-2f4c5d6e7f80',
    time: '02/Dec/2026:15:25:43 +0000',
    ip: '203.0.113.10',
    method: route.method,
    resource: route.path,
    status: String(status),
    length: String(responseBytes),
    latency_ms: '42',
    integration_latency_ms: '38',
    principal_kind: kind === 'public' ? '-' : kind === 'both' ? 'user' : kind,
    api_key_id: kind === 'app' || kind === 'both' ? 'a1b2c3d4e5' : '-',
    error_type: '-',
    authorizer_error: '-',
  });
  return Buffer.byteLength(line) + 1;
}

/**
 * A typical day's mix, by route name: mostly athletes reading their own and each other's data and
 * logging runs, coaches browsing, rare administration. An assumption, stated here and in the docs;
 * routes not listed weigh 5 (GET) or 1 (anything else).
 */
export const TYPICAL_MIX: Readonly<Record<string, number>> = {
  'users-me': 15,
  'users-get': 8,
  'activities-list': 15,
  'activities-get': 10,
  'activities-create': 8,
  'activities-delete': 0.5,
  'users-update': 2,
  'privacy-preview': 1,
  'organizations-get': 4,
  'organizations-create': 0.05,
  'users-create': 0.5,
  'members-list': 5,
  'feed-list': 10,
  'leaderboard-get': 5,
};

export const mixWeight = (route: { name: string; method: string }): number => TYPICAL_MIX[route.name] ?? (route.method === 'GET' ? 5 : 1);
