import { ACCESS_DENIED_TEMPLATE, UNAUTHORIZED_STATUS, unauthorizedBodyFor } from '../lib/config/credential-rejections';
import { METHOD_NOT_ALLOWED_ERROR, METHOD_NOT_ALLOWED_STATUS } from '../lib/config/method-not-allowed';
import { ServiceUnavailableError } from '../lib/errors';

/** The functions' own 503 (lib/errors), so a failing authorizer and a throttled function answer alike. */
const UNAVAILABLE = new ServiceUnavailableError();
/** The `Retry-After` the gateway sends with its 503 (AUTHORIZER_FAILURE), in seconds. */
export const GATEWAY_RETRY_AFTER_SECONDS = String(UNAVAILABLE.retryAfterSeconds);

/**
 * The bodies API Gateway answers with when no function does (its "gateway responses"), in our error
 * shape. The deployed stack maps its gateway responses to the same statuses and codes; the 401s and
 * the 405 are built from the same constants (lib/config) as the stack's templates.
 */
export interface GatewayError {
  readonly status: number;
  readonly body: { readonly message: string; readonly code: string; readonly details?: readonly object[] };
}

/**
 * The ACCESS_DENIED gateway response: our authorizer's Deny carries the reason in its context, and
 * the stack's template renders it into a 401 (lib/config/credential-rejections.ts). Rendered locally
 * by local/gateway-template.ts, exactly as the deployed template is.
 */
export const ACCESS_DENIED = { status: UNAUTHORIZED_STATUS, template: ACCESS_DENIED_TEMPLATE } as const;

export const GATEWAY_ERRORS = {
  /** The authorizer threw 'Unauthorized', or a declared identity source was missing (UNAUTHORIZED): a static body. */
  unauthorized: { status: UNAUTHORIZED_STATUS, body: unauthorizedBodyFor('missing_credentials') },
  /** An API key was required and none came back from the authorizer (INVALID_API_KEY). */
  forbidden: { status: 403, body: { message: 'access denied', code: 'forbidden' } },
  /** A known resource without this method (the stack's MOCK `ANY` method); the reply adds `Allow`. */
  methodNotAllowed: { status: METHOD_NOT_ALLOWED_STATUS, body: METHOD_NOT_ALLOWED_ERROR },
  /** No such resource (MISSING_AUTHENTICATION_TOKEN, which the stack maps to 404). */
  notFound: { status: 404, body: { message: 'not found', code: 'not_found' } },
  /** Over API Gateway's 10 MB payload limit (REQUEST_TOO_LARGE). */
  payloadTooLarge: { status: 413, body: { message: 'request body too large', code: 'payload_too_large' } },
  /**
   * The authorizer threw (AUTHORIZER_FAILURE): in practice its table lookup was throttled or out of
   * reach, so the client is told to retry (with `Retry-After`), as the functions do.
   */
  unavailable: { status: UNAVAILABLE.status, body: { message: UNAVAILABLE.message, code: UNAVAILABLE.code } },
  /** The function failed, or the authorizer answered something API Gateway cannot use (DEFAULT_5XX). */
  internal: { status: 500, body: { message: 'internal server error', code: 'internal_error' } },
  /** The integration ran past API Gateway's 29 s limit (INTEGRATION_TIMEOUT). */
  timeout: { status: 504, body: { message: 'endpoint request timed out', code: 'timeout' } },
} as const satisfies Record<string, GatewayError>;

/** API Gateway's payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's maximum integration timeout for REST APIs. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
