import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * One JSON line per log call, through Powertools for AWS Lambda's Logger (ADR 0025): it adds the
 * timestamp, the service, the X-Ray trace id (from `_X_AMZN_TRACE_ID`) and, once `withLambdaContext`
 * has seen the invocation's context, the function's name, memory, request id and `cold_start`.
 * Callers pass ids, routes, statuses and decisions: never events, bodies or credentials (privacy: a
 * log line must not carry an athlete's data; tests/e2e/log-hygiene.test.ts holds it so).
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export const SERVICE_NAME = 'astral';

/** The embedded-metric-format keys (`_aws` and the metric values) a request's log line carries (route-metrics.ts). */
export type EmbeddedMetrics = Readonly<Record<string, string | number | object>>;

/** Powertools' Logger, able to be told that the first context it sees is not the container's first. */
class FunctionLogger extends Logger {
  notColdStart(): void {
    // Powertools flips its per-instance flag on first read: reading it now makes addContext say false.
    this.getColdStart();
  }
}

const logger = new FunctionLogger({ serviceName: SERVICE_NAME });

/**
 * Info lines are skipped under ASTRAL_QUIET (tests, the bench), read per call so a test can set it late.
 * `metrics` are a route's embedded-metric-format keys (lib/logging/route-metrics.ts), the one kind of
 * structured value a line may carry.
 */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: LogFields = {}, metrics: EmbeddedMetrics = {}): void {
  if (level === 'info' && process.env.ASTRAL_QUIET === 'true') return;
  logger[level](message, { ...definedFields(fields), ...metrics });
}

/**
 * Tells the logger which invocation it is in: every later line of this invocation carries the
 * function's name, the Lambda request id and whether the environment was cold. The first call in a
 * process is the cold start (Powertools keeps the flag per Logger instance), unless `coldStart` is false.
 */
export function withLambdaContext(context: Context | undefined, coldStart?: boolean): void {
  // Powertools counts the first context a Logger sees as the cold start; a logger made later
  // (lib/logging/lazy.ts) is told otherwise.
  if (coldStart === false) logger.notColdStart();
  // The local runtime's context is built by local/lambda-context.ts; a unit test may invoke without one.
  if (context?.functionName) logger.addContext(context);
}

/** Powertools prints `undefined` fields as absent already; dropping them here keeps the key order stable. */
function definedFields(fields: LogFields): Record<string, string | number | boolean> {
  const defined: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) defined[key] = value;
  return defined;
}
