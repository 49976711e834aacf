import type { core } from 'zod/mini';
import type { PlanFeature } from '../config/plans';

export type CredentialKind = 'app' | 'user';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** What a function may do to the table; the stack grants exactly this (least privilege). */
export type TableAccess = 'none' | 'read' | 'readwrite';

/** Every path of the API starts here; contracts name their path after it. */
export const API_PREFIX = '/api/v1';

/** The statuses an endpoint answers with a body of its own (a success shape). */
export type SuccessStatus = 200 | 201;
/**
 * Error statuses a contract names itself, because only the endpoint knows them: 404 (what it looks
 * up), 409 (what can conflict), 403 beyond the credential kind (roles, plan features). The statuses
 * every endpoint of its kind shares (400 for input, 401/429 for credentials, 413/415 for a body, 500)
 * are implied by the contract's shape (see `errorStatusesOf`).
 */
export type ContractErrorStatus = 403 | 404 | 409;

export type SuccessResponses = Readonly<Partial<Record<SuccessStatus, core.$ZodType>>>;

/** An example request or response, taken from the product documents where they show one. */
export interface ContractExamples {
  readonly body?: unknown;
  readonly response?: unknown;
}

/**
 * One endpoint's contract, the only place it is described: the CDK stack and the local gateway read
 * its route (method, path, credentials, table access), the handler pipeline its credentials and
 * request schemas, the handler its plan feature, and tools/openapi everything, responses included.
 */
export interface EndpointContract<
  A extends readonly CredentialKind[] = readonly CredentialKind[],
  P extends core.$ZodType | undefined = core.$ZodType | undefined,
  Q extends core.$ZodType | undefined = core.$ZodType | undefined,
  B extends core.$ZodType | undefined = core.$ZodType | undefined,
> {
  /** `<resource>-<action>`; also the function's folder under functions/ and the OpenAPI operationId. */
  readonly name: string;
  readonly method: HttpMethod;
  /** After API_PREFIX, with `{param}` segments as API Gateway writes them. */
  readonly path: string;
  /** One line for the endpoint table and the OpenAPI summary. */
  readonly summary: string;
  /** Who may call it beyond the credential kind, and what else a client should know. */
  readonly description?: string;
  /** The OpenAPI tag (the README groups the endpoint table by it). */
  readonly tag: string;
  /** Credential kinds accepted; empty means a public method with no authorizer. */
  readonly credentials: A;
  /** Plan feature the organization must have (the handler checks it against the organization's plan). */
  readonly feature?: PlanFeature;
  /**
   * Whether an app key issued for one organization may call a route whose path has no `{org_id}`:
   * only when the route acts on no organization's data (lib/http/app-key-scope.ts). Unset, it may not.
   */
  readonly orgScopedAppKeys?: 'allowed';
  readonly tableAccess: TableAccess;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly maxBodyBytes?: number;
  /**
   * The success response, by status: the shape a client can rely on. Built on demand (by tools/openapi
   * and the tests), never by a function: the handler needs only the request half, and a cold start
   * that built every response shape (and loaded lib/contracts, where the shared ones live) took 7–15 ms
   * longer (docs/adr/0009-endpoint-contracts-and-openapi.md).
   */
  readonly responses: () => Promise<SuccessResponses>;
  readonly errors: readonly ContractErrorStatus[];
  readonly examples?: ContractExamples;
}

/** Keeps the literal types of a contract (credential kinds, schemas) for the handler's `InputOf`. */
export function defineContract<
  const A extends readonly CredentialKind[],
  P extends core.$ZodType | undefined = undefined,
  Q extends core.$ZodType | undefined = undefined,
  B extends core.$ZodType | undefined = undefined,
>(contract: EndpointContract<A, P, Q, B>): EndpointContract<A, P, Q, B> {
  return contract;
}

/** The request body limit when a contract names none (API Gateway's own is 10 MB). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

/**
 * Every error status the endpoint can answer: its own (`errors`) and those implied by its shape:
 * 400 when it takes input, 401/403 behind the authorizer (a missing credential, the wrong kind),
 * 413/415 with a body, 409 on a POST (its Idempotency-Key), 429 and 500 always (the stage's throttle
 * meters public methods too), 503 when it or its authorizer reads the table (throttled or unreachable
 * after the SDK's retries).
 */
export function errorStatusesOf(contract: EndpointContract): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([...contract.errors, 429, 500]);
  if (contract.params || contract.query || contract.body) statuses.add(400);
  if (contract.credentials.length > 0) {
    statuses.add(401);
    statuses.add(403);
  }
  if (contract.credentials.length > 0 || contract.tableAccess !== 'none') statuses.add(503);
  if (contract.body) {
    statuses.add(413);
    statuses.add(415);
  }
  // Every POST takes an Idempotency-Key: another request's key, or one still in progress, is a 409.
  if (contract.method === 'POST') statuses.add(409);
  return [...statuses].sort((a, b) => a - b);
}
