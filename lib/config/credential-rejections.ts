/**
 * Why a request's credentials were refused (api.md "Conventions": a 401 says why), shared by the
 * authorizer (which names the reason), the stack's gateway responses and the local gateway (which
 * render it). Messages are fixed, non-secret text: never the token or key that was presented.
 *
 * They reach the client through API Gateway's gateway-response templates, which substitute
 * `$context.authorizer.*` verbatim without JSON escaping, so no message may contain `"` or `\`
 * (tests/unit/auth/credential-rejections.test.ts keeps it so).
 */
export const CREDENTIAL_REJECTIONS = {
  missing_credentials: { path: 'headers', message: 'send an X-API-Key header or an Authorization: Bearer token' },
  both_credentials: { path: 'headers', message: 'send either X-API-Key or Authorization, not both' },
  malformed_authorization: { path: 'headers.authorization', message: 'expected Bearer followed by a JWT' },
  invalid_token: { path: 'headers.authorization', message: 'the token is not valid for this API' },
  token_expired: { path: 'headers.authorization', message: 'the token has expired' },
  unknown_app_key: { path: 'headers.x-api-key', message: 'the app key is not known' },
  revoked_app_key: { path: 'headers.x-api-key', message: 'the app key has been revoked' },
} as const satisfies Record<string, { readonly path: string; readonly message: string }>;

export type CredentialRejection = keyof typeof CREDENTIAL_REJECTIONS;

export const CREDENTIAL_REJECTION_REASONS = Object.keys(CREDENTIAL_REJECTIONS) as [CredentialRejection, ...CredentialRejection[]];

/** The authorizer-context keys a Deny carries its reason in (flat strings, as API Gateway requires). */
export const REJECTION_CONTEXT = { reason: 'reason', path: 'reason_path', message: 'reason_message' } as const;

export type RejectionContext = { readonly [K in (typeof REJECTION_CONTEXT)[keyof typeof REJECTION_CONTEXT]]: string };

export function rejectionContext(reason: CredentialRejection): RejectionContext {
  const { path, message } = CREDENTIAL_REJECTIONS[reason];
  return { [REJECTION_CONTEXT.reason]: reason, [REJECTION_CONTEXT.path]: path, [REJECTION_CONTEXT.message]: message };
}

export const UNAUTHORIZED_STATUS = 401;
export const UNAUTHORIZED_ERROR = { message: 'invalid or missing credentials', code: 'unauthorized' } as const;

export interface UnauthorizedBody {
  readonly message: string;
  readonly code: string;
  readonly details: readonly [{ readonly path: string; readonly message: string; readonly reason: string }];
}

/** The 401 body: our error shape with exactly one detail naming the header and the reason. */
function unauthorizedBody(detail: { path: string; message: string; reason: string }): UnauthorizedBody {
  return { ...UNAUTHORIZED_ERROR, details: [{ path: detail.path, message: detail.message, reason: detail.reason }] };
}

/** The body for a known reason, as the client receives it. */
export function unauthorizedBodyFor(reason: CredentialRejection): UnauthorizedBody {
  return unauthorizedBody({ ...CREDENTIAL_REJECTIONS[reason], reason });
}

/**
 * The ACCESS_DENIED gateway-response template: the 401 body with its detail taken from the Deny's
 * context. Gateway-response templates are not VTL, only simple `$context` substitution (AWS: the
 * x-amazon-apigateway-gateway-responses.responseTemplates reference), so the placeholders sit inside
 * JSON strings and the authorizer's values must be JSON-safe (see above).
 */
export const ACCESS_DENIED_TEMPLATE = JSON.stringify(
  unauthorizedBody({
    path: `$context.authorizer.${REJECTION_CONTEXT.path}`,
    message: `$context.authorizer.${REJECTION_CONTEXT.message}`,
    reason: `$context.authorizer.${REJECTION_CONTEXT.reason}`,
  }),
);

/**
 * The UNAUTHORIZED gateway-response template. API Gateway answers it without calling the authorizer
 * when a declared identity source is missing (the cached authorizers' Authorization or X-API-Key, ADR
 * 0014), so it can only mean that the credential the route takes did not come: a static body.
 */
export const UNAUTHORIZED_TEMPLATE = JSON.stringify(unauthorizedBodyFor('missing_credentials'));
