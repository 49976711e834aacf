import type { APIGatewayProxyResult } from 'aws-lambda';

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  /** Extra headers (e.g. a 503's `Retry-After`); content type and request id are always set. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A body already serialized: sent as is. For a large document that never changes (the OpenAPI
 * document), so it is stringified once per container instead of once per request.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export const ok = (body: unknown): HttpResponse => ({ status: 200, body });
export const created = (body: unknown): HttpResponse => ({ status: 201, body });

export function toProxyResult(response: HttpResponse, requestId: string): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: { ...response.headers, 'content-type': 'application/json', 'x-request-id': requestId },
    body: response.body instanceof JsonText ? response.body.text : JSON.stringify(response.body),
  };
}
