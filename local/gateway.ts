import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTHORIZER, ROUTES, type FunctionDefinition, type RouteDefinition } from '../functions/manifest';
import { authorizerEvent, describeRequest, methodArn, proxyEvent, type IncomingRequest, type ProxyAuthorizerContext } from './api-events';
import { evaluateAuthorizerResult } from './authorizer-result';
import { applyLocalEnvironment } from './environment';
import { GATEWAY_ERRORS, INTEGRATION_TIMEOUT_MS, MAX_REQUEST_BYTES, type GatewayError } from './gateway-responses';
import { loadHandler } from './handler-loader';
import { lambdaContext } from './lambda-context';
import { createRouter, type RouteMatch } from './routes';
import { publicJwks, type SigningKey } from './signing-key';

export const JWKS_PATH = '/.well-known/jwks.json';

export interface LocalGatewayOptions {
  /** 0 or undefined picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly tableName: string;
  readonly dynamoDbEndpoint: string;
  /** The key whose public half is served as the JWKS the authorizer trusts. */
  readonly signingKey: SigningKey;
  /** Defaults to the manifest; tests pass fixture routes and a fixture authorizer. */
  readonly routes?: readonly RouteDefinition[];
  readonly authorizer?: FunctionDefinition;
  /** Where `entry` paths resolve from (the repository root). */
  readonly rootDir?: string;
  /** One line per request; defaults to stdout. */
  readonly log?: (line: string) => void;
  readonly integrationTimeoutMs?: number;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

class IntegrationTimeout extends Error {}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

const gatewayReply = (error: GatewayError): Reply => jsonReply(error.status, error.body);

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads the whole body, keeping at most the limit: the rest is drained so the client still gets our 413. */
function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge: size > MAX_REQUEST_BYTES }));
    req.on('error', reject);
  });
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/** A proxy result as API Gateway accepts it; anything else is the integration's failure. */
function toReply(result: unknown): Reply | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const out: Record<string, string | string[]> = {};
  const scalar = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object') return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!scalar(value)) return undefined;
      out[name.toLowerCase()] = String(value);
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== 'object') return undefined;
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(scalar)) return undefined;
      const key = name.toLowerCase();
      const existing = out[key];
      const merged = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...values.map(String)];
      out[key] = merged.length === 1 ? (merged[0] as string) : merged;
    }
  }
  // API Gateway's default when the function names none.
  out['content-type'] ??= 'application/json';
  const text = typeof body === 'string' ? body : '';
  return { status: statusCode, headers: out, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/**
 * API Gateway (REST API, Lambda proxy integration, REQUEST authorizer) in one node:http server: the
 * manifest's routes, the authorizer run first with API Gateway's rules, the handlers imported lazily
 * from their entries, and the local issuer's JWKS.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const routes = options.routes ?? ROUTES;
  const authorizer = options.authorizer ?? AUTHORIZER;
  const rootDir = options.rootDir;
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const route = createRouter(routes);
  const jwks = Buffer.from(JSON.stringify(publicJwks(options.signingKey)));

  async function authorize(request: IncomingRequest, match: RouteMatch): Promise<{ reply: Reply } | { context: ProxyAuthorizerContext }> {
    const started = Date.now();
    let result: unknown;
    try {
      const handler = await loadHandler(authorizer.entry, rootDir);
      result = await withTimeout(
        handler(authorizerEvent(request, match) as never, lambdaContext(authorizer.name, timeoutMs) as never),
        timeoutMs,
      );
    } catch (error) {
      // Only this exact message means "no valid credentials"; API Gateway treats anything else as a failure.
      if (error instanceof Error && error.message === 'Unauthorized') return { reply: gatewayReply(GATEWAY_ERRORS.unauthorized) };
      log(`authorizer failed: ${errorName(error)} (${request.requestId})`);
      return { reply: gatewayReply(GATEWAY_ERRORS.internal) };
    }
    const outcome = evaluateAuthorizerResult(result, methodArn(request));
    if (outcome.kind === 'invalid') {
      log(`authorizer returned an invalid result: ${outcome.reason} (${request.requestId})`);
      return { reply: gatewayReply(GATEWAY_ERRORS.internal) };
    }
    if (outcome.kind === 'deny') return { reply: gatewayReply(GATEWAY_ERRORS.forbidden) };
    // Every authorized method requires an API key (apiKeyRequired), taken from the authorizer's usage identifier.
    if (outcome.usageIdentifierKey === undefined) return { reply: gatewayReply(GATEWAY_ERRORS.forbidden) };
    return { context: { ...outcome.context, principalId: outcome.principalId, integrationLatency: Date.now() - started } };
  }

  async function invoke(
    request: IncomingRequest,
    match: RouteMatch,
    body: string | null,
    context: ProxyAuthorizerContext | null,
  ): Promise<Reply> {
    try {
      const handler = await loadHandler(match.route.entry, rootDir);
      const result = await withTimeout(
        handler(proxyEvent(request, match, body, context) as never, lambdaContext(match.route.name, timeoutMs) as never),
        timeoutMs,
      );
      const reply = toReply(result);
      if (reply) return reply;
      log(`${match.route.name} returned a malformed proxy response (${request.requestId})`);
    } catch (error) {
      if (error instanceof IntegrationTimeout) return gatewayReply(GATEWAY_ERRORS.timeout);
      // The name only: messages and stacks can carry data, and never reach the client either.
      log(`${match.route.name} failed: ${errorName(error)} (${request.requestId})`);
    }
    return gatewayReply(GATEWAY_ERRORS.internal);
  }

  async function handle(req: IncomingMessage, request: IncomingRequest): Promise<Reply> {
    const { body, tooLarge } = await readBody(req);
    if (request.method === 'GET' && request.path === JWKS_PATH) {
      return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' }, body: jwks };
    }
    const lookup = route(request.method, request.path);
    if (lookup.kind !== 'match') return gatewayReply(GATEWAY_ERRORS.notFound);
    if (tooLarge) return gatewayReply(GATEWAY_ERRORS.payloadTooLarge);
    let context: ProxyAuthorizerContext | null = null;
    if (lookup.match.route.credentials.length > 0) {
      const authorized = await authorize(request, lookup.match);
      if ('reply' in authorized) return authorized.reply;
      context = authorized.context;
    }
    return invoke(request, lookup.match, body.length > 0 ? body.toString('utf8') : null, context);
  }

  function send(res: ServerResponse, request: IncomingRequest, reply: Reply, started: number): void {
    const headers = { ...reply.headers };
    headers['x-request-id'] ??= request.requestId;
    const requestId = Array.isArray(headers['x-request-id']) ? (headers['x-request-id'][0] ?? request.requestId) : headers['x-request-id'];
    headers['content-length'] = String(reply.body.length);
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    // Method, path, status, time, id: never bodies, query strings or headers (they carry credentials).
    log(`${request.method} ${request.path} ${reply.status} ${Date.now() - started}ms ${requestId}`);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    const request = describeRequest(req, randomUUID());
    handle(req, request)
      .catch((error: unknown) => {
        log(`gateway error: ${errorName(error)} (${request.requestId})`);
        return gatewayReply(GATEWAY_ERRORS.internal);
      })
      .then((reply) => send(res, request, reply, started))
      .catch(() => res.destroy());
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  applyLocalEnvironment({ tableName: options.tableName, dynamoDbEndpoint: options.dynamoDbEndpoint, jwksUrl: `${url}${JWKS_PATH}` });

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (fetch pools them) would otherwise hold close() open.
        server.closeAllConnections();
      })),
  };
}
