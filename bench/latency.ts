import type { RouteDefinition } from '../functions/manifest';
import { invoke, type BenchRequest } from './invoker';
import { benchRequest, routeOf, type RequestSpec, type ScenarioRun, type Step } from './scenario';
import { percentile } from './stats';

export interface Latency {
  readonly route: string;
  readonly runs: number;
  /** Through the local gateway over HTTP: authorizer, handler, DynamoDB Local, the stack's own overhead. */
  readonly endToEndP50Ms: number;
  readonly endToEndP99Ms: number;
  /** The handler alone, invoked in process against DynamoDB Local (the duration Lambda would bill, on this core). */
  readonly handlerP50Ms: number;
  /** The authorizer alone, same way; undefined for public routes. */
  readonly authorizerP50Ms?: number;
  /** What the client received for the last request: status line, headers and body (data transfer out). */
  readonly responseBytes: number;
  readonly status: number;
}

async function specFor(scenario: ScenarioRun, step: Step): Promise<RequestSpec> {
  return (await step.prepare?.(scenario.world, (other) => scenario.run(other))) ?? step.request(scenario.world);
}

async function overHttp(url: string, request: BenchRequest): Promise<{ status: number; ms: number; bytes: number }> {
  const query = request.query ? `?${new URLSearchParams(request.query as Record<string, string>).toString()}` : '';
  const started = performance.now();
  const response = await fetch(`${url}${request.path}${query}`, {
    method: request.method,
    headers: { ...request.headers, ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  let head = `HTTP/1.1 ${response.status} ${response.statusText}\r\n\r\n`.length;
  response.headers.forEach((value, name) => void (head += name.length + value.length + 4));
  return { status: response.status, ms, bytes: head + body.byteLength };
}

/**
 * Repeats each route's representative request: `runs` times over HTTP through the local gateway, and
 * `runs` times in process to time the functions on their own. Requests that need something to act on
 * (a delete) get it from their step's `prepare`, untimed.
 */
export async function measureLatency(scenario: ScenarioRun, gatewayUrl: string, runs: number): Promise<Latency[]> {
  const out: Latency[] = [];
  for (const [name, result] of scenario.representative) {
    const step = result.step;
    const route = routeOf(step) as RouteDefinition;
    const endToEnd: number[] = [];
    const handler: number[] = [];
    const authorizer: number[] = [];
    let responseBytes = 0;
    for (let run = 0; run < runs; run += 1) {
      const http = await overHttp(gatewayUrl, benchRequest(scenario.world, step, await specFor(scenario, step)));
      if (http.status !== step.expect) throw new Error(`${name} over HTTP answered ${http.status}, expected ${step.expect}`);
      endToEnd.push(http.ms);
      responseBytes = http.bytes;
      const invoked = await invoke(benchRequest(scenario.world, step, await specFor(scenario, step)));
      if (invoked.response.status !== step.expect) throw new Error(`${name} answered ${invoked.response.status}, expected ${step.expect}`);
      if (invoked.handler) handler.push(invoked.handler.wallMs);
      if (invoked.authorizer) authorizer.push(invoked.authorizer.wallMs);
    }
    out.push({
      route: route.name,
      runs,
      endToEndP50Ms: percentile(endToEnd, 50),
      endToEndP99Ms: percentile(endToEnd, 99),
      handlerP50Ms: percentile(handler, 50),
      ...(authorizer.length > 0 ? { authorizerP50Ms: percentile(authorizer, 50) } : {}),
      responseBytes,
      status: step.expect,
    });
  }
  return out;
}
