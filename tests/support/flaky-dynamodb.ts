import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB endpoint that misbehaves on purpose, in front of the run's DynamoDB Local: it answers a
 * share of calls with DynamoDB's own ThrottlingException (status 400, JSON 1.0 error type), or, while
 * `down`, drops every connection. The code under test keeps its real client, retry strategy and
 * middleware; only the wire lies, as a throttled or unreachable table would.
 */
export interface FlakyDynamoDb {
  readonly endpoint: string;
  /** Share of calls answered with ThrottlingException, 0..1. */
  failureRate: number;
  /** While true, every connection is dropped (ECONNRESET), as if the table were unreachable. */
  down: boolean;
  /** Calls seen and calls failed on purpose, by target (e.g. `DynamoDB_20120810.PutItem`). */
  readonly seen: Map<string, number>;
  readonly injected: Map<string, number>;
  stop(): Promise<void>;
}

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  message: 'Rate of requests exceeds the allowed throughput.',
});

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function startFlakyDynamoDb(upstream: string, options: { seed: number; failureRate?: number }): Promise<FlakyDynamoDb> {
  const target = new URL(upstream);
  const random = seededRandom(options.seed);
  const seen = new Map<string, number>();
  const injected = new Map<string, number>();

  const state = {
    failureRate: options.failureRate ?? 0,
    down: false,
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? 'unknown');
    count(seen, operation);
    if (random() < state.failureRate) {
      count(injected, operation);
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ThrottlingException' });
      res.end(THROTTLED);
      return;
    }
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => req.socket.destroy());
    req.pipe(upstreamRequest);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get failureRate() {
      return state.failureRate;
    },
    set failureRate(rate: number) {
      state.failureRate = rate;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    seen,
    injected,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
