/**
 * Every limit the bench checks, with the reason it is what it is: bench/results.json carries the
 * reason with each target, and docs/benchmarks.md prints the table. Change a limit here only, and its
 * reason with it.
 */
export interface Limit {
  readonly limit: number;
  readonly unit: string;
  readonly reason: string;
}

export const LIMITS = {
  coldRatioHttp: {
    limit: 1.25,
    unit: '× platform floor',
    reason:
      'import time of an HTTP function over the platform floor (the document client, middy, zod/mini and Powertools’ Logger and Metrics, created at module scope as a route does, and none of our code), same machine, same run: what our code adds to what every route must load by the stack’s fixed choices. Until ADR 0026 it divided by the document client alone; the libraries every route must load measured ~8 ms of the 15.7 ms that 1.25× of that floor allows (docs/adr/0026-a-tree-per-function.md), so the limit measured the libraries, not our code. The ratio to the client alone is still printed beside it',
  },
  coldRatioAuthorizer: {
    limit: 1.1,
    unit: '× floor',
    reason:
      'the authorizer runs before every uncached request: its init may add a tenth to the floor’s (the document client alone: it loads neither middy nor zod)',
  },
  assetKb: { limit: 10, unit: 'KB', reason: 'a function asset is a thin entry; everything shared lives in the one layer' },
  openapiAssetKb: {
    limit: 128,
    unit: 'KB',
    reason:
      'openapi-get’s asset is the OpenAPI document itself (built at build time, the only function that carries it so no other cold start parses it): its budget is the document’s, as in tests/infra/assembly/budget-artifacts.ts, not a thin entry’s',
  },
  handlerCpu: {
    limit: 1,
    unit: '× calibration',
    reason:
      'CPU p50 of our code in a warm handler (DynamoDB answered before the SDK) over the calibration workload measured in the same interleaved rounds (a JSON round trip and SHA-256 of a 20-activity page, ~46 KB): a request’s own work may cost at most what passing one page of whole activities through JSON costs, per such page it answers with: a response larger than the calibration’s document may cost that many calibrations (only the export’s page, 114 KB of 25 whole activities with the profile, memberships and access log in the scenario, ~2.5 documents; a 1 MB export page would be ~22). The SDK’s share (signing, marshalling, middleware, parsing: 0.34–0.82 ms per call on this machine, 1.8–4.4× calibration per call) is reported beside it, not limited here: the code moves it only through the number and size of its calls, which the designed-calls and designed-units targets cap. Until issue 14’s second stop the limit applied to the with-SDK figure, which no route with one DynamoDB call could meet',
  },
  pageShape: {
    limit: 0.5,
    unit: '× calibration',
    reason: 'the privacy engine shapes a 100-activity page (athlete page, 25-athlete feed page) in under half a page’s JSON round trip',
  },
  jwt: {
    limit: 1,
    unit: '× calibration',
    reason:
      'one ES256 verification (the local issuer’s algorithm) costs at most a page’s JSON round trip: it runs on every uncached user request',
  },
  decision: {
    limit: 0.005,
    unit: '× calibration',
    reason: 'one field-group decision, warm: 200 of them (a feed page’s worth) within a page’s JSON round trip',
  },
  designedCalls: {
    limit: 0,
    unit: 'calls',
    reason: 'no more DynamoDB calls than bench/designed.ts prescribes, each of a designed kind and consistency',
  },
  designedUnits: {
    limit: 0,
    unit: 'RRU / WRU',
    reason:
      'no more read and write request units than bench/designed.ts (DESIGNED_UNITS) prescribes: calls can stay the same while items grow past a billing step or a page reads more than it shows',
  },
  scans: { limit: 0, unit: 'calls', reason: 'a Scan reads the whole table: never on a request path' },
  readControlled: {
    limit: 0.35,
    unit: '$/M requests',
    reason:
      'what the code controls per million reads: handler GB-s, the authorizer’s share (cache misses), RRU. The fixed part, API Gateway REST $3.50 and the handler’s request $0.20, is reported beside it, never in it',
  },
  writeControlled: {
    limit: 2.2,
    unit: '$/M requests',
    reason:
      'what the code controls per million audited single-item writes: handler GB-s, authorizer share, RRU and WRU, and the stream consumers (audit event, feed projector: request, GB-s and writes); transactions of several items are listed without a limit',
  },
  scaleRatio: {
    limit: 1.2,
    unit: '× the 10-member page',
    reason:
      'the leaderboard page at 10,000 members costs at most 1.2× the 10-member page in DynamoDB calls and in RRU: it reads a ranked read model (ADR 0013), not the roster (issue 14)',
  },
  loadErrors: { limit: 0, unit: 'errors', reason: 'under 30 connections every request answers as it does alone' },
  authorizerCacheInvocations: {
    limit: 1,
    unit: 'authorizer invocations per 20 requests',
    reason:
      'a cached authorizer (ADR 0014) runs once per credential and TTL, whichever route of its kind is called, so a cache hit costs no second Lambda',
  },
  revokedKeyRefusedWithin: {
    limit: 30,
    unit: 's after revocation',
    reason:
      "a revoked app key stops working within the documented bound (APP_KEY_REVOCATION_BOUND_SECONDS): the gateway's TTL plus the authorizer's memory",
  },
  leaderboardThroughput: {
    limit: 0.5,
    unit: '× public GET req/s',
    reason:
      'the page a club opens most must serve at least half the throughput of the cheapest read (one GetItem) under the same 30 connections, however big the club',
  },
} as const satisfies Record<string, Limit>;

/**
 * The limit a function's cold start is judged by, and the floor it divides by: an HTTP route the
 * platform floor (what every route must load), the authorizer the client alone; other kinds none.
 * One place for `npm run bench` (bench/report-cold.ts) and `npm run bench:init`.
 */
export function coldLimitOf(kind: string): { readonly limit: Limit; readonly floor: 'floor' | 'platform floor' } | undefined {
  if (kind === 'route') return { limit: LIMITS.coldRatioHttp, floor: 'platform floor' };
  if (kind === 'authorizer') return { limit: LIMITS.coldRatioAuthorizer, floor: 'floor' };
  return undefined;
}
