import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../config/observability';
import { SERVICE_NAME } from './logger';

export { METRICS_NAMESPACE };

/** What one route reports per request. */
export interface RouteMetrics {
  record(status: number, latencyMs: number): void;
}

/**
 * Per-route request metrics in CloudWatch embedded metric format, through Powertools for AWS Lambda's
 * Metrics (ADR 0025): one EMF line per request with `Requests`, `Status4xx`, `Status5xx` (0 or 1, so
 * their average is the rate) and `Latency` (the handler's, from the pipeline's first step to its
 * response), dimensioned by `service` and `route`. CloudWatch turns the line into metrics with no
 * PutMetricData call. One instance per route: a Lambda serves one request at a time, so the buffer
 * is flushed before the next one starts.
 */
export function routeMetrics(route: string): RouteMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { route } });
  return {
    record(status, latencyMs) {
      // Tests and the bench's local stack run quiet; the deployed functions never set it.
      if (process.env.ASTRAL_QUIET === 'true') return;
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      metrics.addMetric('Status4xx', MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
      metrics.addMetric('Status5xx', MetricUnit.Count, status >= 500 ? 1 : 0);
      metrics.addMetric('Latency', MetricUnit.Milliseconds, latencyMs);
      metrics.publishStoredMetrics();
    },
  };
}
