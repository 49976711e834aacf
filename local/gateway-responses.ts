/**
 * The bodies API Gateway answers with when no function does (its "gateway responses"), in our error
 * shape. The deployed stack maps its gateway responses to the same statuses and codes.
 */
export interface GatewayError {
  readonly status: number;
  readonly body: { readonly message: string; readonly code: string };
}

export const GATEWAY_ERRORS = {
  /** The authorizer threw 'Unauthorized' (UNAUTHORIZED). */
  unauthorized: { status: 401, body: { message: 'invalid or missing credentials', code: 'unauthorized' } },
  /** The policy denied the method (ACCESS_DENIED), or an API key was required and none came back (INVALID_API_KEY). */
  forbidden: { status: 403, body: { message: 'access denied', code: 'forbidden' } },
  /** No such resource or method (MISSING_AUTHENTICATION_TOKEN, which the stack maps to 404). */
  notFound: { status: 404, body: { message: 'not found', code: 'not_found' } },
  /** Over API Gateway's 10 MB payload limit (REQUEST_TOO_LARGE). */
  payloadTooLarge: { status: 413, body: { message: 'request body too large', code: 'payload_too_large' } },
  /** The function or the authorizer failed (DEFAULT_5XX). */
  internal: { status: 500, body: { message: 'internal server error', code: 'internal_error' } },
  /** The integration ran past API Gateway's 29 s limit (INTEGRATION_TIMEOUT). */
  timeout: { status: 504, body: { message: 'endpoint request timed out', code: 'timeout' } },
} as const satisfies Record<string, GatewayError>;

/** API Gateway's payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's maximum integration timeout for REST APIs. */
export const INTEGRATION_TIMEOUT_MS = 29_000;
