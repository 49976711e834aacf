import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTHORIZER, ROUTES, type FunctionDefinition, type RouteDefinition } from '../functions/manifest';
import { AUTHORIZERS, authorizerFor } from '../lib/config/authorizers';
import { describeRequest, type IncomingRequest, type ProxyAuthorizerContext } from './api-events';
import { AuthorizerResultCache, type GatewayClock } from './authorizer-cache';
import { authorize, type AuthorizerStep } from './authorizer-step';
import { applyLocalEnvironment } from './environment';
import { errorName } from './error-name';
import { gatewayReply, methodNotAllowedReply, writeReply, type Reply } from './gateway-reply';
import { GATEWAY_ERRORS, INTEGRATION_TIMEOUT_MS } from './gateway-responses';
import type { IntegrationSettings } from './integration';
import { readBody } from './request-body';
import { integrate } from './route-integration';
import { createRouter } from './routes';
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
  /**
   * Default true: each route gets the authorizer its credentials pick (lib/config/authorizers.ts), with
   * API Gateway's identity sources and result cache. False puts every authenticated route on the
   * uncached REQUEST authorizer, for fixture authorizers that pick their answer from another header.
   */
  readonly cachedAuthorizers?: boolean;
  /** What the authorizer cache's TTLs count against (milliseconds since the epoch); defaults to Date.now. */
  readonly clock?: GatewayClock;
  /** Where `entry` paths resolve from (the repository root). */
  readonly rootDir?: string;
  /** One line per request; defaults to stdout. */
  readonly log?: (line: string) => void;
  readonly integrationTimeoutMs?: number;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  /** How many times an authorizer function has run: a cache hit does not run it. */
  authorizerInvocations(): number;
  stop(): Promise<void>;
}

/** What API Gateway does with one request: the JWKS, routing (404, 405), the size limit (413), the authorizer, the integration. */
class RequestPipeline {
  private readonly route: ReturnType<typeof createRouter>;
  private readonly authorizer: FunctionDefinition;
  private readonly cachedAuthorizers: boolean;
  readonly authorizerCache: AuthorizerResultCache;
  private readonly jwks: Buffer;

  constructor(
    options: LocalGatewayOptions,
    private readonly settings: IntegrationSettings,
  ) {
    this.authorizer = options.authorizer ?? AUTHORIZER;
    this.cachedAuthorizers = options.cachedAuthorizers ?? true;
    this.authorizerCache = new AuthorizerResultCache(options.clock ?? Date.now);
    this.route = createRouter(options.routes ?? ROUTES);
    this.jwks = Buffer.from(JSON.stringify(publicJwks(options.signingKey)));
  }

  /** The authorizer resource in front of a route, as the stack binds it; undefined for a public route. */
  private authorizerStep(route: RouteDefinition): AuthorizerStep | undefined {
    const picked = authorizerFor(route.credentials);
    if (picked === undefined) return undefined;
    const binding = this.cachedAuthorizers ? picked : 'either';
    return { fn: this.authorizer, binding, spec: AUTHORIZERS[binding], cache: this.authorizerCache };
  }

  async handle(req: IncomingMessage, request: IncomingRequest): Promise<Reply> {
    const { body, tooLarge } = await readBody(req);
    if (request.method === 'GET' && request.path === JWKS_PATH) {
      return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' }, body: this.jwks };
    }
    const lookup = this.route(request.method, request.path);
    if (lookup.kind === 'no-resource') return gatewayReply(GATEWAY_ERRORS.notFound);
    // The stack's MOCK `ANY` method: answered before any authorizer, since that method has none.
    if (lookup.kind === 'no-method') return methodNotAllowedReply(lookup.allowed);
    if (tooLarge) return gatewayReply(GATEWAY_ERRORS.payloadTooLarge);
    let context: ProxyAuthorizerContext | null = null;
    const step = this.authorizerStep(lookup.match.route);
    if (step !== undefined) {
      const authorized = await authorize(step, request, lookup.match, this.settings);
      if ('reply' in authorized) return authorized.reply;
      context = authorized.context;
    }
    return integrate(request, lookup.match, body.length > 0 ? body.toString('utf8') : null, context, this.settings);
  }
}

/** Each request through the pipeline, answered even when the pipeline itself fails, and logged in one line. */
function serve(pipeline: RequestPipeline, log: (line: string) => void): RequestListener {
  return (req, res) => {
    const started = Date.now();
    const request = describeRequest(req, randomUUID());
    pipeline
      .handle(req, request)
      .catch((error: unknown) => {
        log(`gateway error: ${errorName(error)} (${request.requestId})`);
        return gatewayReply(GATEWAY_ERRORS.internal);
      })
      .then((reply) => {
        const requestId = writeReply(res, reply, request.requestId);
        // Method, path, status, time, id: never bodies, query strings or headers (they carry credentials).
        log(`${request.method} ${request.path} ${reply.status} ${Date.now() - started}ms ${requestId}`);
      })
      .catch(() => res.destroy());
  };
}

/** Resolves with the port once the server listens. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * API Gateway (REST API, Lambda proxy integration, Lambda authorizers) in one node:http server: the
 * manifest's routes, each route's authorizer run first with API Gateway's rules and result cache
 * (lib/config/authorizers.ts, ADR 0014), the handlers imported lazily
 * from their entries, and the local issuer's JWKS.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const pipeline = new RequestPipeline(options, { rootDir: options.rootDir, timeoutMs, log });
  // Node closes an idle kept-alive connection after 5 s; a client reusing it at that moment gets
  // ECONNRESET, which a loaded machine makes likely. Keeping it longer than any idle gap leaves the
  // closing to the client, which it does at the timeout the server advertises.
  const server = createServer({ keepAliveTimeout: 65_000 }, serve(pipeline, log));
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${port}`;
  applyLocalEnvironment({ tableName: options.tableName, dynamoDbEndpoint: options.dynamoDbEndpoint, jwksUrl: `${url}${JWKS_PATH}` });

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    authorizerInvocations: () => pipeline.authorizerCache.invocations,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (fetch pools them) would otherwise hold close() open.
        server.closeAllConnections();
      })),
  };
}
