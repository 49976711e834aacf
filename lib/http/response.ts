import type { APIGatewayProxyResult } from 'aws-lambda';

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
}

export const ok = (body: unknown): HttpResponse => ({ status: 200, body });
export const created = (body: unknown): HttpResponse => ({ status: 201, body });

export function toProxyResult(response: HttpResponse, requestId: string): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(response.body),
  };
}
