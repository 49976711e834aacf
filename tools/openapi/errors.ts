import { CREDENTIAL_REJECTION_REASONS, unauthorizedBodyFor } from '../../lib/config/credential-rejections';
import type { ErrorStatus } from '../../lib/http/contract';

/** The documented error responses (api.md Conventions), one component each, all with the error body. */
export const ERROR_RESPONSES: Readonly<
  Record<
    ErrorStatus,
    { readonly name: string; readonly description: string; readonly example: object; readonly headers?: Readonly<Record<string, object>> }
  >
> = {
  400: {
    name: 'BadRequest',
    description:
      'The request failed validation: `details` names each offending field (`path`, `message`); unknown fields are named one by one. Nothing was written.',
    example: {
      message: 'invalid request: privacy.share_pb',
      code: 'validation_error',
      details: [{ path: 'privacy.share_pb', message: 'expected boolean' }],
    },
  },
  401: {
    name: 'Unauthorized',
    description: `No usable credential. \`details[0].reason\` says why, without anything secret: ${CREDENTIAL_REJECTION_REASONS.map((r) => `\`${r}\``).join(', ')}. On an endpoint taking one kind of credential, the other kind alone is \`missing_credentials\`.`,
    example: unauthorizedBodyFor('token_expired'),
  },
  403: {
    name: 'Forbidden',
    description:
      'The credential is valid but not allowed here: a role the caller does not hold, an app key scoped to another organization (`forbidden`), or a plan without the feature (`feature_not_enabled`).',
    example: { message: "the organization's plan does not include member_management", code: 'feature_not_enabled' },
  },
  404: {
    name: 'NotFound',
    description: 'No such object, or one this caller may not know exists.',
    example: { message: 'organization not found', code: 'not_found' },
  },
  409: {
    name: 'Conflict',
    description:
      'The request conflicts with the current state (a name taken, already a member, a concurrent change: `conflict`), or, on a POST, with its `Idempotency-Key`: the key was first used with another request (`idempotency_key_reused`) or that first request is still running (`idempotency_key_in_progress`: retry later).',
    example: {
      message: 'an organization with this name already exists',
      code: 'conflict',
      details: [{ path: 'name', message: 'already taken' }],
    },
  },
  413: {
    name: 'PayloadTooLarge',
    description: "The body exceeds the endpoint's limit (256 KB unless stated).",
    example: { message: 'request body exceeds 262144 bytes', code: 'payload_too_large' },
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'A body was sent with a `Content-Type` other than JSON.',
    example: { message: 'request body must be application/json', code: 'unsupported_media_type' },
  },
  429: {
    name: 'TooManyRequests',
    description: "API Gateway's throttle: the app key's usage plan (rate, burst, monthly quota) or the stage's limits.",
    example: { message: 'too many requests', code: 'throttled' },
  },
  500: {
    name: 'InternalError',
    description: 'A bug on our side; nothing about it is disclosed. Quote the `x-request-id` header when reporting it.',
    example: { message: 'internal server error', code: 'internal_error' },
  },
  503: {
    name: 'Unavailable',
    description:
      'The table is throttling or out of reach (after our own retries), or the authorizer could not reach it. Nothing is known to have been written by a 503 from a read; a write may have been committed, so retry a `POST` with the same `Idempotency-Key`. Retry after the `Retry-After` seconds.',
    example: { message: 'the service is briefly unavailable; retry later', code: 'unavailable' },
    headers: {
      'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string', pattern: '^[0-9]+$' } },
    },
  },
};
