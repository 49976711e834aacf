import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../config/observability';
import { type EmbeddedMetrics, SERVICE_NAME } from './logger';

export { METRICS_NAMESPACE };

/** What one route reports per request. */
export interface RouteMetrics {
  /** This request's metrics as keys of its log line; empty under ASTRAL_QUIET. */
  fields(status: number, latencyMs: number): EmbeddedMetrics;
}

/**
 * Per-route request metrics in CloudWatch embedded metric format, through Powertools for AWS Lambda's
 * Metrics (ADR 0025): `Requests`, `Status4xx`, `Status5xx` (0 or 1, so their average is the rate) and
 * `Latency` (the handler's, from the pipeline's first step to its response), dimensioned by `service`
 * and `route`. They ride on the request's own log line rather than a second line: CloudWatch reads
 * EMF from any JSON line that has `_aws`, and one write to stdout instead of two saves a system call
 * per request (~20 µs, docs/benchmarks.md). One instance per route: a Lambda serves one request at a
 * time, so the buffer is cleared before the next one starts.
 */
export function routeMetrics(route: string): RouteMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { route } });
  return {
    fields(status, latencyMs) {
      // Tests and the bench's local stack run quiet; the deployed functions never set it.
      if (process.env.ASTRAL_QUIET === 'true') return {};
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      metrics.addMetric('Status4xx', MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
      metrics.addMetric('Status5xx', MetricUnit.Count, status >= 500 ? 1 : 0);
      metrics.addMetric('Latency', MetricUnit.Milliseconds, latencyMs);
      try {
        // `service`, the dimension's value, is on every line already: the logger writes it (the same
        // SERVICE_NAME) and drops, with a warning, any field that would overwrite it.
        const { service: _service, ...fields } = metrics.serializeMetrics();
        return fields;
      } finally {
        metrics.clearMetrics();
      }
    },
  };
}
