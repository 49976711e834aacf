import { LAMBDA_MODEL, PRICES } from './prices';

/** What one request costs, by component, in dollars per million requests. */
export interface CostBreakdown {
  readonly apiGateway: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly dynamoDbReads: number;
  readonly dynamoDbWrites: number;
  /** The audit record: stream consumer invocation, its duration and its write (included in the above too). */
  readonly audit: number;
  readonly total: number;
}

export interface FunctionRun {
  /** Wall time of one invocation on this machine against DynamoDB Local (one full core). */
  readonly wallMs: number;
  /** CPU of one warm invocation on one full core (SDK included). */
  readonly cpuMs: number;
  readonly memoryMb: number;
}

export interface RequestWork {
  readonly handler: FunctionRun;
  /** Undefined for public routes (no authorizer runs). */
  readonly authorizer?: FunctionRun;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Stream consumer invocations the request caused, with their own writes. */
  readonly audit: readonly { readonly run: FunctionRun; readonly writeUnits: number }[];
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

export function costPerMillion(work: RequestWork): CostBreakdown {
  const functions = [work.handler, ...(work.authorizer ? [work.authorizer] : [])];
  const auditRuns = work.audit.map((entry) => entry.run);
  const auditWriteUnits = work.audit.reduce((sum, entry) => sum + entry.writeUnits, 0);
  const apiGateway = PRICES.apiGatewayRestPerMillionRequests;
  const lambdaRequests = (functions.length + auditRuns.length) * PRICES.lambdaPerMillionRequests;
  const lambdaDuration = [...functions, ...auditRuns].reduce((sum, run) => sum + durationPerMillion(run), 0);
  const dynamoDbReads = work.readUnits * PRICES.dynamoDbPerMillionReadRequestUnits;
  const dynamoDbWrites = (work.writeUnits + auditWriteUnits) * PRICES.dynamoDbPerMillionWriteRequestUnits;
  const audit =
    auditRuns.length * PRICES.lambdaPerMillionRequests +
    auditRuns.reduce((sum, run) => sum + durationPerMillion(run), 0) +
    auditWriteUnits * PRICES.dynamoDbPerMillionWriteRequestUnits;
  return {
    apiGateway,
    lambdaRequests,
    lambdaDuration,
    dynamoDbReads,
    dynamoDbWrites,
    audit,
    total: apiGateway + lambdaRequests + lambdaDuration + dynamoDbReads + dynamoDbWrites,
  };
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
