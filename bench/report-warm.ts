import { ROUTES } from '../functions/manifest';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../lib/config';
import { AUTHORIZER_DESIGNED } from './designed';
import { calibrationDocument, type Measurements, WARM_KEYS } from './measure';
import type { BenchOptions } from './options';
import { type Cell, formatNumber, markdownTable, type Section, type Target } from './report';
import { round } from './stats';
import { type Limit, LIMITS } from './targets';
import type { WarmResult } from './warm';

/** CPU p50 of the calibration workload in this run, the unit every CPU target is expressed in. */
export const calibrationMs = (input: Measurements): number => input.warm.get(WARM_KEYS.calibration)?.sdk?.cpuP50Ms ?? Number.NaN;

const ratioTarget = (name: string, valueMs: number, calibration: number, limit: Limit, scale?: PageScale): Target => {
  const ratio = valueMs / calibration;
  const scaled = scale && scale.pages > 1 ? limit.limit * scale.pages : limit.limit;
  return {
    name,
    value: round(ratio, 3),
    unit: limit.unit,
    limit: round(scaled, 3),
    met: ratio <= scaled,
    reason: limit.reason,
    note: `${formatNumber(valueMs, 3)} ms vs calibration ${formatNumber(calibration, 3)} ms${
      scale && scale.pages > 1
        ? `; limit × ${formatNumber(scale.pages, 3)}: its ${formatNumber(scale.responseBytes / 1024)} KB response is that many calibration documents`
        : ''
    }`,
  };
};

/** A response in calibration documents: a route that answers with more bytes than one page may spend that many. */
interface PageScale {
  readonly responseBytes: number;
  readonly pages: number;
}

const CALIBRATION_BYTES = Buffer.byteLength(JSON.stringify(calibrationDocument()), 'utf8');
const pageScale = (responseBytes: number | undefined): PageScale | undefined =>
  responseBytes === undefined ? undefined : { responseBytes, pages: responseBytes / CALIBRATION_BYTES };

/** Handler CPU per route as a ratio to the calibration, the authorizer's, and the policy engine's and JWT's in the same unit. */
export function warmSection(input: Measurements, options: BenchOptions): Section {
  const calibration = calibrationMs(input);
  const { targets, rows } = routeRows(input, calibration);
  rows.push(...otherRows(input, calibration));
  targets.push(...engineTargets(input, calibration));
  targets.push(cachedAppKeyTarget(input));
  return {
    targets,
    markdown: warmMarkdown(input, options, calibration, rows),
    json: {
      calibrationCpuP50Ms: calibration,
      warm: Object.fromEntries(input.warm),
      policy: input.policy,
      jwt: input.jwt,
      latency: [...input.latencyByRoute.values()],
    },
  };
}

/** Each route's handler CPU target and its row of the warm table. */
function routeRows(input: Measurements, calibration: number): { targets: Target[]; rows: Cell[][] } {
  const targets: Target[] = [];
  const rows: Cell[][] = [];
  for (const route of ROUTES) {
    const entry = input.warm.get(route.name);
    const sdk = entry?.sdk;
    if (!sdk) {
      targets.push({
        name: `handler CPU (ours) ÷ calibration: ${route.name}`,
        value: null,
        unit: LIMITS.handlerCpu.unit,
        limit: LIMITS.handlerCpu.limit,
        met: null,
        note: 'no scenario step for this route yet',
      });
      continue;
    }
    const ours = entry['short-circuit'];
    targets.push(
      ours
        ? ratioTarget(
            `handler CPU (ours) ÷ calibration: ${route.name}`,
            ours.cpuP50Ms,
            calibration,
            LIMITS.handlerCpu,
            pageScale(input.latencyByRoute.get(route.name)?.responseBytes),
          )
        : {
            name: `handler CPU (ours) ÷ calibration: ${route.name}`,
            value: null,
            unit: LIMITS.handlerCpu.unit,
            limit: LIMITS.handlerCpu.limit,
            met: null,
            note: 'measured with the SDK only',
          },
    );
    const lat = input.latencyByRoute.get(route.name);
    const calls = input.scenario.representative.get(route.name)?.invoked.handler?.invocation.calls.length;
    rows.push([
      route.name,
      calls,
      entry['short-circuit']?.cpuP50Ms,
      entry['short-circuit']?.cpuP99Ms,
      sdk.cpuP50Ms,
      sdk.cpuP99Ms,
      ours ? round(ours.cpuP50Ms / calibration, 3) : null,
      round(sdk.cpuP50Ms / calibration, 3),
      sdk.logBytes,
      lat?.handlerP50Ms,
      lat?.endToEndP50Ms,
      lat?.endToEndP99Ms,
    ]);
  }
  return { targets, rows };
}

/** Rows for the authorizer's two events and for the calibration itself. */
function otherRows(input: Measurements, calibration: number): Cell[][] {
  const authorizerRow = (label: string, result: WarmResult | undefined): Cell[] => [
    label,
    0,
    null,
    null,
    result?.cpuP50Ms,
    result?.cpuP99Ms,
    null,
    result ? round(result.cpuP50Ms / calibration, 3) : null,
    result?.logBytes,
    null,
    null,
    null,
  ];
  const appKey = input.warm.get(WARM_KEYS.appKey)?.sdk;
  const bearer = input.warm.get(WARM_KEYS.bearer)?.sdk;
  const rows: Cell[][] = [authorizerRow('authorizer, cached app key', appKey), authorizerRow('authorizer, bearer JWT (ES256)', bearer)];
  const calibrationResult = input.warm.get(WARM_KEYS.calibration)?.sdk;
  rows.push([
    'calibration workload (20-activity page through JSON, SHA-256)',
    0,
    null,
    null,
    calibrationResult?.cpuP50Ms,
    calibrationResult?.cpuP99Ms,
    null,
    1,
    0,
    null,
    null,
    null,
  ]);
  return rows;
}

function warmMarkdown(input: Measurements, options: BenchOptions, calibration: number, rows: Cell[][]): string[] {
  return [
    '### Warm cost per request',
    '',
    `CPU per request over ${options.warm.iterations} warm invocations of the deployed artifact, in ${options.warm.rounds} rounds interleaved over every function and the calibration workload (one process each, one busy at a time; DynamoDB Local suspended). "ours": DynamoDB answered before the SDK (our code only). "with SDK": answered below it (marshalling, serialization, signing and parsing included). "ours ÷ calibration" (the figure the target limits) and "with SDK ÷ calibration": each p50 over the calibration's p50 (${formatNumber(calibration, 3)} ms in this run). "log B": bytes the function writes to its log per invocation, before Lambda's prefix. Handler and end-to-end times are on DynamoDB Local (${options.latencyRuns} requests each).`,
    '',
    markdownTable(
      [
        'endpoint',
        'DynamoDB calls',
        'ours p50 ms',
        'ours p99 ms',
        'with SDK p50 ms',
        'with SDK p99 ms',
        'ours ÷ calibration',
        'with SDK ÷ calibration',
        'log B',
        'handler on DDB Local p50 ms',
        'end-to-end p50 ms',
        'end-to-end p99 ms',
      ],
      rows,
    ),
    '',
    `Privacy engine: ${formatNumber(Math.round(input.policy.decisions.perSecond), 0)} field-group decisions/s (decision table warm), ${formatNumber(Math.round(input.policy.evaluationsPerSecond), 0)} rule evaluations/s (first sight of a combination); 100-activity page of one athlete ${formatNumber(input.policy.athletePage.p50Ms, 4)} ms p50 (${formatNumber(input.policy.athletePage.p99Ms, 4)} p99), feed page of 25 athletes ${formatNumber(input.policy.feedPage.p50Ms, 4)} ms p50 (${formatNumber(input.policy.feedPage.p99Ms, 4)} p99).`,
    '',
    `JWT verification (lib/auth createTokenVerifier, one at a time): ${Object.entries(input.jwt)
      .map(([alg, r]) => `${alg} ${formatNumber(Math.round(r.perSecond), 0)}/s, CPU p50 ${formatNumber(r.cpuP50Ms, 3)} ms`)
      .join('; ')}.`,
  ];
}

/** The privacy engine and JWT verification, in calibration units too (their children run after the warm rounds, same quiet machine). */
function engineTargets(input: Measurements, calibration: number): Target[] {
  const worstPage = Math.max(input.policy.feedPage.p50Ms, input.policy.athletePage.p50Ms);
  const decisionMs = 1000 / input.policy.decisions.perSecond;
  const es256 = input.jwt.ES256?.cpuP50Ms ?? Number.NaN;
  return [
    ratioTarget(
      'privacy: shape a 100-activity page (worst of athlete page, 25-athlete feed page), p50',
      worstPage,
      calibration,
      LIMITS.pageShape,
    ),
    ratioTarget('privacy: one field-group decision (warm)', decisionMs, calibration, LIMITS.decision),
    ratioTarget('JWT verification CPU p50 (ES256, the local issuer’s algorithm)', es256, calibration, LIMITS.jwt),
  ];
}

/** The authorizer's app-key memory (lib/config/authorizers.ts, ADR 0014): a warm process living longer reads the key again once per TTL. */
const APP_KEY_TTL_MS = AUTHORIZER_CACHE_TTL_SECONDS.appKeyMemory * 1000;

/** Reads of a cached app key over the measured rounds: none but the refreshes its TTL allows in their span. */
function cachedAppKeyTarget(input: Measurements): Target {
  const warm = input.warm.get(WARM_KEYS.appKey)?.sdk;
  const reads = warm ? Math.round(warm.callsPerInvocation * warm.iterations) : Number.NaN;
  const refreshes = warm ? Math.floor((warm.spanMs ?? 0) / APP_KEY_TTL_MS) : 0;
  const limit = AUTHORIZER_DESIGNED.cachedAppKey.calls.length + refreshes;
  return {
    name: 'warm authorizer: DynamoDB reads of a cached app key over the timed rounds',
    value: reads,
    unit: 'calls',
    limit,
    met: reads <= limit,
    reason: `a key this container has seen within its TTL (${APP_KEY_TTL_MS / 1000} s) is not read again (data-model #5): one read per TTL elapsed in the rounds`,
    ...(warm ? { note: `${warm.iterations} invocations over ${((warm.spanMs ?? 0) / 1000).toFixed(0)} s` } : {}),
  };
}
