import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { core } from 'zod/mini';
import { fromAuthorizerContext, type AppPrincipal, type Principal, type UserPrincipal } from '../auth/principal';
import {
  BothCredentialsError,
  ForbiddenError,
  MissingCredentialsError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import { checkAppKeyScope } from './app-key-scope';
import { errorToResponse } from './error-mapper';
import { log, routeMetrics, withLambdaContext } from '../logging';
import { type CredentialKind, DEFAULT_MAX_BODY_BYTES, type EndpointContract } from './contract';
import type { IdempotentWrite } from './idempotency';
import { idempotencyKeyOf } from './idempotency-key';
import { toProxyResult, type HttpResponse } from './response';
import { parseWith } from './validation';
import { decodePathParameters } from './path-parameters';
import { screenJsonBody } from './json-guard';
import { idempotencyCaller } from '../repositories/keys';
import { checkTokenExpiry } from './token-expiry';

type PrincipalFor<A extends readonly CredentialKind[]> = A extends readonly []
  ? Principal | undefined
  : ('user' extends A[number] ? UserPrincipal : never) | ('app' extends A[number] ? AppPrincipal : never);

type Parsed<S> = S extends core.$ZodType<infer T> ? T : undefined;

export interface EndpointInput<A extends readonly CredentialKind[], P, Q, B> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
  readonly principal: PrincipalFor<A>;
  readonly requestId: string;
  /** Present on a POST that carried an Idempotency-Key: lets the handler record its response with its resource. */
  readonly idempotency?: IdempotentWrite;
}

export type InputOf<S> = S extends EndpointContract<infer A, infer P, infer Q, infer B> ? EndpointInput<A, P, Q, B> : never;

export type Handle<A extends readonly CredentialKind[], P, Q, B> = (input: EndpointInput<A, P, Q, B>) => Promise<HttpResponse>;

interface PipelineInternal extends Record<string, unknown> {
  input?: unknown;
}

type ProxyRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, PipelineInternal>;

function requestIdOf(event: APIGatewayProxyEvent): string {
  return event.requestContext?.requestId ?? 'unknown';
}

/** Lower-cases header names once, so every later step reads `content-type` whatever the client sent. */
function normalizedHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === 'string') headers[key.toLowerCase()] = value;
  }
  return headers;
}

function readJsonBody(event: APIGatewayProxyEvent, headers: Record<string, string>, maxBytes: number): unknown {
  const raw = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
  // An absent body validates as an empty object, so the error names each missing field.
  if (raw.trim() === '') return {};
  const type = headers['content-type'];
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    throw new ValidationError('request body is not valid JSON', [{ path: 'body', message: 'invalid JSON' }]);
  }
  return screenJsonBody(parsed);
}

function resolvePrincipal(
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  accepts: readonly CredentialKind[],
): Principal | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const principal = fromAuthorizerContext(context);
  if (accepts.length === 0) return principal;
  // The authorizers answer for one header, the one they cache under (ADR 0014): the pair is refused here.
  if (headers['x-api-key'] !== undefined && headers.authorization !== undefined) throw new BothCredentialsError();
  // Only reachable when no authorizer ran in front of an authenticated method (a wiring mistake):
  // the same 401 the gateway gives a request without credentials.
  if (!principal) throw new MissingCredentialsError();
  checkTokenExpiry(principal, context);
  if (!accepts.includes(principal.kind)) {
    throw new ForbiddenError(principal.kind === 'app' ? 'this endpoint requires a user token' : 'this endpoint requires an app key');
  }
  return principal;
}

/** Who owns an Idempotency-Key: two callers' keys never collide. */
function callerOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return principal.kind === 'user' ? idempotencyCaller('user', principal.user_id) : idempotencyCaller('app', principal.app_id);
}

/** Runs the endpoint under its Idempotency-Key; the machinery loads only for requests that carry one. */
async function handleOnce<A extends readonly CredentialKind[], P, Q, B>(
  contract: EndpointContract,
  input: EndpointInput<A, P, Q, B>,
  key: string,
  handle: Handle<A, P, Q, B>,
): Promise<HttpResponse> {
  const { runIdempotent, requestHash } = await import('./idempotency');
  const scope = { caller: callerOf(input.principal), route: `${contract.method} ${contract.path}`, key };
  return runIdempotent(scope, requestHash(input.params, input.body), (idempotency) => handle({ ...input, idempotency }));
}

type ProxyMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, PipelineInternal>;

/**
 * Where a request starts (the Lambda context for the logger, the clock for its latency) and the one
 * place it ends: its log line (ids, route, status: nothing else), which carries its metrics (ADR 0025).
 */
function requestObserver(route: string): {
  observe: ProxyMiddleware;
  finish: (event: APIGatewayProxyEvent, requestId: string, response: HttpResponse) => APIGatewayProxyResult;
} {
  const startedAt = new WeakMap<APIGatewayProxyEvent, number>();
  const metrics = routeMetrics(route);
  return {
    observe: {
      name: 'observe',
      before: (request: ProxyRequest) => {
        startedAt.set(request.event, performance.now());
        withLambdaContext(request.context);
      },
    },
    finish: (event, requestId, response) => {
      const latencyMs = performance.now() - (startedAt.get(event) ?? performance.now());
      log('info', 'request', { route, status: response.status, request_id: requestId }, metrics.fields(response.status, latencyMs));
      return toProxyResult(response, requestId);
    },
  };
}

/**
 * The one HTTP pipeline: request id → header normalisation → principal from the authorizer context
 * and an org-scoped app key's scope (so a missing or wrong credential is a 401/403 before any input
 * is judged) → a POST's Idempotency-Key → zod parse of path, then query → JSON body (size, media type,
 * syntax; lib/http/json-guard.ts: keys, depth, storable numbers, Unicode, NFC) and its zod parse → the
 * endpoint → the error
 * mapper, last.
 */
export function httpHandler<
  const A extends readonly CredentialKind[],
  P extends core.$ZodType | undefined = undefined,
  Q extends core.$ZodType | undefined = undefined,
  B extends core.$ZodType | undefined = undefined,
>(contract: EndpointContract<A, P, Q, B>, handle: Handle<A, P, Q, B>) {
  // middy hands the handler only (event, context): the parsed input travels beside the event.
  const parsedInputs = new WeakMap<APIGatewayProxyEvent, EndpointInput<A, P, Q, B>>();
  const idempotencyKeys = new WeakMap<APIGatewayProxyEvent, string>();
  const { observe, finish } = requestObserver(contract.name);

  const parseRequest: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, PipelineInternal> = {
    name: 'parse-request',
    before: (request: ProxyRequest) => {
      const event = request.event;
      const headers = normalizedHeaders(event);
      const principal = resolvePrincipal(event, headers, contract.credentials);
      const pathParameters = decodePathParameters(event.pathParameters);
      checkAppKeyScope(contract, principal, pathParameters);
      // Every POST accepts an Idempotency-Key (api.md Conventions); a malformed one is a 400 before anything runs.
      const idempotencyKey = contract.method === 'POST' ? idempotencyKeyOf(headers) : undefined;
      if (idempotencyKey !== undefined) idempotencyKeys.set(event, idempotencyKey);
      const params = contract.params ? parseWith(contract.params, pathParameters ?? {}, 'path') : undefined;
      const query = contract.query ? parseWith(contract.query, event.queryStringParameters ?? {}, 'query') : undefined;
      const body = contract.body
        ? parseWith(contract.body, readJsonBody(event, headers, contract.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), 'body')
        : undefined;
      parsedInputs.set(event, { params, query, body, principal, requestId: requestIdOf(event) } as EndpointInput<A, P, Q, B>);
    },
  };

  const mapErrors: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, PipelineInternal> = {
    name: 'error-mapper',
    onError: (request: ProxyRequest) => {
      const requestId = requestIdOf(request.event);
      const response = errorToResponse(request.error, { requestId, route: contract.name });
      request.response = finish(request.event, requestId, response);
    },
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, PipelineInternal>({ timeoutEarlyInMillis: 0 })
    .use(observe)
    .use(mapErrors)
    .use(parseRequest)
    .handler(async (event) => {
      const input = parsedInputs.get(event);
      if (!input) throw new Error('request was not parsed');
      const key = idempotencyKeys.get(event);
      const response = key === undefined ? await handle(input) : await handleOnce(contract, input, key, handle);
      return finish(event, input.requestId, response);
    });
}
