export { type LogFields, log, SERVICE_NAME, withLambdaContext } from './logger';
export { METRICS_NAMESPACE, type RouteMetrics, routeMetrics } from './route-metrics';
