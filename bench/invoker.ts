import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AUTHORIZER, ROUTES, type RouteDefinition } from '../functions/manifest';
import { authorizerEvent, proxyEvent, type IncomingRequest, type ProxyAuthorizerContext } from '../local/api-events';
import { evaluateAuthorizerResult } from '../local/authorizer-result';
import { loadHandler } from '../local/handler-loader';
import { lambdaContext } from '../local/lambda-context';
import { createRouter } from '../local/routes';
import { newInvocation, withInvocation, type Invocation } from './dynamo-recorder';

/** A request as a client sends it. */
export interface BenchRequest {
  readonly method: string;
  /** Path with the /api/v1 prefix, query string not included. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface BenchResponse {
  readonly status: number;
  readonly body: unknown;
}

/** One request through API Gateway's steps, run in this process with each function's DynamoDB work attributed to it. */
export interface InvokedRequest {
  readonly route: RouteDefinition;
  readonly response: BenchResponse;
  readonly authorizer?: { readonly event: APIGatewayRequestAuthorizerEvent; readonly invocation: Invocation; readonly wallMs: number };
  readonly handler?: { readonly event: APIGatewayProxyEvent; readonly invocation: Invocation; readonly wallMs: number };
}

const route = createRouter(ROUTES);

export function incomingRequest(request: BenchRequest): IncomingRequest {
  const headers: Record<string, string> = { Host: 'api.bench.local', 'User-Agent': 'astral-bench', ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] ??= 'application/json';
  const query = request.query && Object.keys(request.query).length > 0 ? { ...request.query } : null;
  return {
    requestId: randomUUID(),
    method: request.method,
    path: request.path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    query,
    multiValueQuery: query ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])) : null,
    sourceIp: '203.0.113.10',
    receivedAt: new Date(),
  };
}

const parseBody = (body: unknown): unknown => {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

/**
 * What local/gateway.ts does for a request (route match, the authorizer with API Gateway's rules, the
 * proxy event), minus HTTP: each function runs in its own attribution scope, so its DynamoDB calls
 * are counted apart, and its events are kept for the warm benchmark to replay.
 */
export async function invoke(request: BenchRequest): Promise<InvokedRequest> {
  const lookup = route(request.method, request.path);
  if (lookup.kind !== 'match') throw new Error(`no route for ${request.method} ${request.path}`);
  const { match } = lookup;
  const incoming = incomingRequest(request);

  let context: ProxyAuthorizerContext | null = null;
  let authorizer: InvokedRequest['authorizer'];
  if (match.route.credentials.length > 0) {
    const event = authorizerEvent(incoming, match);
    const invocation = newInvocation(AUTHORIZER.name);
    const handler = await loadHandler(AUTHORIZER.entry);
    const started = performance.now();
    let result: unknown;
    try {
      result = await withInvocation(invocation, () =>
        handler(structuredClone(event) as never, lambdaContext(AUTHORIZER.name, 10_000) as never),
      );
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized')
        return { route: match.route, response: { status: 401, body: undefined } };
      throw error;
    }
    authorizer = { event, invocation, wallMs: performance.now() - started };
    const outcome = evaluateAuthorizerResult(result, event.methodArn);
    if (outcome.kind !== 'allow')
      return { route: match.route, response: { status: outcome.kind === 'deny' ? 403 : 500, body: undefined }, authorizer };
    // As local/gateway.ts: every authorized method requires a usage identifier (apiKeyRequired).
    if (outcome.usageIdentifierKey === undefined) return { route: match.route, response: { status: 403, body: undefined }, authorizer };
    context = { ...outcome.context, principalId: outcome.principalId, integrationLatency: 1 };
  }

  const body = request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const event = proxyEvent(incoming, match, body, context);
  const invocation = newInvocation(match.route.name);
  const handler = await loadHandler(match.route.entry);
  const started = performance.now();
  const result = (await withInvocation(invocation, () =>
    handler(structuredClone(event) as never, lambdaContext(match.route.name, 25_000) as never),
  )) as {
    statusCode: number;
    body?: string;
  };
  return {
    route: match.route,
    response: { status: result.statusCode, body: parseBody(result.body) },
    ...(authorizer ? { authorizer } : {}),
    handler: { event, invocation, wallMs: performance.now() - started },
  };
}

/** `/organizations/{org_id}` + `{org_id: 'org_1'}` → `/api/v1/organizations/org_1`. */
export function pathFor(route: RouteDefinition, params: Readonly<Record<string, string>> = {}): string {
  return route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.name}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}
