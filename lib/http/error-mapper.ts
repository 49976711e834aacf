import { DomainError, ServiceUnavailableError } from '../errors';
import { log } from '../logging';
import type { HttpResponse } from './response';

/** The one place errors become responses: domain errors keep their status; anything else is a bare 500. */
export function errorToResponse(error: unknown, context: { requestId: string; route: string }): HttpResponse {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = { message: error.message, code: error.code };
    if (error.details && error.details.length > 0) body.details = error.details;
    if (error instanceof ServiceUnavailableError) {
      // Worth an operator's eye (a throttled or unreachable table), but not a bug: no stack, no detail.
      log('warn', 'table unavailable', { request_id: context.requestId, route: context.route });
      return { status: error.status, body, headers: { 'retry-after': String(error.retryAfterSeconds) } };
    }
    return { status: error.status, body };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : 'non-error thrown';
  log('error', 'unhandled error', { request_id: context.requestId, route: context.route, error: name, detail: message });
  return { status: 500, body: { message: 'internal server error', code: 'internal_error' } };
}
