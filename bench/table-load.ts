import { CONNECTIONS, errorsOf, type LoadCase, runLoadClient } from './concurrency';
import type { Exchange } from './dynamo-recorder';
import { invoke } from './invoker';

/**
 * The concurrent loads' DynamoDB calls sent straight to DynamoDB Local under the same 30 connections,
 * without the gateway, the handlers or the SDK: what the table emulator alone serves of each load.
 * The stack's ratio between two loads cannot beat the emulator's ratio for the same calls, so this
 * row says how much of a gap is the emulator's (issue 14's leaderboard ÷ public GET target).
 */
export interface TableLoadResult {
  readonly label: string;
  readonly route: string;
  /** DynamoDB calls one request of the load makes, sent in order on each connection. */
  readonly callsPerRequest: number;
  readonly operations: readonly string[];
  /** Requests' worth of calls per second: calls per second ÷ calls per request. */
  readonly requestsPerSecond: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** One request of the load through the in-process invoker: the handler's DynamoDB exchanges, as sent. */
async function callsOf(load: LoadCase): Promise<readonly Exchange[]> {
  const url = new URL(load.path, 'http://bench.local');
  const invoked = await invoke({
    method: load.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: load.headers,
    ...(load.body ? { body: load.body } : {}),
  });
  if (invoked.response.status !== load.expect) throw new Error(`${load.label}: ${invoked.response.status}, expected ${load.expect}`);
  return invoked.handler?.invocation.exchanges ?? [];
}

/** Headers the load generator sets itself. */
const OWN_HEADERS = new Set(['host', 'content-length']);

export async function measureTableLoads(endpoint: string, loads: readonly LoadCase[], seconds: number): Promise<TableLoadResult[]> {
  const results: TableLoadResult[] = [];
  for (const load of loads) {
    const calls = await callsOf(load);
    if (calls.length === 0) continue;
    const requests = calls.map((call) => ({
      method: 'POST',
      path: '/',
      headers: Object.fromEntries(Object.entries(call.request.headers).filter(([name]) => !OWN_HEADERS.has(name.toLowerCase()))),
      body: call.request.body,
    }));
    const options = { url: endpoint, requests, connections: CONNECTIONS };
    await runLoadClient(options, 2, load.label);
    const result = await runLoadClient(options, seconds, load.label);
    results.push({
      label: load.label,
      route: load.route,
      callsPerRequest: calls.length,
      operations: calls.map((call) => call.target.replace(/^.*\./, '')),
      requestsPerSecond: result.requests.average / calls.length,
      callsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      // DynamoDB answers every call it served with 200.
      errors: errorsOf(result, 200),
    });
  }
  return results;
}
