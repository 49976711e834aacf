/**
 * Domain errors carry their HTTP status so code anywhere in lib can fail precisely, and the one
 * error mapper in lib/http turns them into our JSON body. Anything else becomes a generic 500.
 */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
  /** A 401's non-secret reason code (api.md Conventions). */
  readonly reason?: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(400, 'validation_error', message, details);
  }
}

/**
 * A `next_token` that is not one this query handed out (tampered, forged, foreign, or outside the
 * query's key range): api.md "Page tokens are opaque … a 400". Thrown by lib/http/page-token.ts and
 * lib/repositories/page-start.ts alike.
 */
export class InvalidPageTokenError extends ValidationError {
  constructor() {
    super('invalid next_token', [{ path: 'next_token', message: 'not a token for this query' }]);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'invalid or missing credentials', details?: readonly ErrorDetail[]) {
    super(401, 'unauthorized', message, details);
  }
}

/**
 * The 401 of a request that reached a function with no principal (only when no authorizer runs in
 * front of an authenticated method): the body the gateway gives a request without credentials. The
 * detail is spelled here rather than read from lib/config/credential-rejections.ts, whose import would
 * cost every function a layer file at cold start; tests/unit/auth/credential-rejections.test.ts keeps
 * the two equal.
 */
export class MissingCredentialsError extends UnauthorizedError {
  constructor() {
    super('invalid or missing credentials', [
      { path: 'headers', message: 'send an X-API-Key header or an Authorization: Bearer token', reason: 'missing_credentials' },
    ]);
  }
}

/**
 * A request carrying both X-API-Key and Authorization. The authorizers cache their answers under one of
 * the two headers and cannot refuse the pair without refusing that header alone for the cache's TTL
 * (ADR 0014), so the pipeline, which sees both, refuses it. Spelled as the gateway's (see above).
 */
export class BothCredentialsError extends UnauthorizedError {
  constructor() {
    super('invalid or missing credentials', [
      { path: 'headers', message: 'send either X-API-Key or Authorization, not both', reason: 'both_credentials' },
    ]);
  }
}

/** A user token past its `exp` or maximum age, reached from API Gateway's authorizer cache (ADR 0014). Spelled as the gateway's. */
export class TokenExpiredError extends UnauthorizedError {
  constructor() {
    super('invalid or missing credentials', [{ path: 'headers.authorization', message: 'the token has expired', reason: 'token_expired' }]);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'insufficient permissions') {
    super(403, 'forbidden', message);
  }
}

export class FeatureNotEnabledError extends DomainError {
  constructor(feature: string) {
    super(403, 'feature_not_enabled', `the organization's plan does not include ${feature}`);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(409, 'conflict', message, details);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `request body exceeds ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super(415, 'unsupported_media_type', 'request body must be application/json');
  }
}

/**
 * The table is throttling or unreachable after the SDK's own retries (lib/db/client.ts): the request
 * may well succeed later, so the client gets a retryable 503 with `Retry-After`, never a 500.
 */
export class ServiceUnavailableError extends DomainError {
  constructor(readonly retryAfterSeconds = 1) {
    super(503, 'unavailable', 'the service is briefly unavailable; retry later');
  }
}

/** The Idempotency-Key was first used with another request (another body or path): api.md Conventions. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(409, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request', [
      { path: 'headers.idempotency-key', message: 'already used with another body; send a new key for a new request' },
    ]);
  }
}

/** The first request with this Idempotency-Key is still running: the client retries later. */
export class IdempotencyKeyInProgressError extends DomainError {
  constructor() {
    super(409, 'idempotency_key_in_progress', 'a request with this Idempotency-Key is still in progress; retry later', [
      { path: 'headers.idempotency-key', message: 'in progress' },
    ]);
  }
}

/** The user id is being erased (ADR 0020): nothing may be created under it until the job is done. */
export class ErasureInProgressError extends DomainError {
  constructor() {
    super(409, 'erasure_in_progress', 'this account is being erased; try again once the erasure is complete');
  }
}
