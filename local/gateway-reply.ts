import type { ServerResponse } from 'node:http';
import { allowHeader } from '../lib/config/method-not-allowed';
import { GATEWAY_ERRORS, type GatewayError } from './gateway-responses';

/** What the gateway answers: a status, headers (lower-case names) and the body's bytes. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

type Headers = Record<string, string | string[]>;

export const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

export const gatewayReply = (error: GatewayError): Reply => jsonReply(error.status, error.body);

/** 405 with the resource's methods in `Allow`, as the stack's MOCK `ANY` method answers. */
export const methodNotAllowedReply = (allowed: Iterable<string>): Reply =>
  jsonReply(GATEWAY_ERRORS.methodNotAllowed.status, GATEWAY_ERRORS.methodNotAllowed.body, { allow: allowHeader(allowed) });

const isScalar = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** A proxy result's `headers` into `out`; false when they are not a map of scalars. */
function addHeaders(headers: unknown, out: Headers): boolean {
  if (headers === undefined || headers === null) return true;
  if (typeof headers !== 'object') return false;
  for (const [name, value] of Object.entries(headers)) {
    if (!isScalar(value)) return false;
    out[name.toLowerCase()] = String(value);
  }
  return true;
}

/** A proxy result's `multiValueHeaders` into `out`, after any single value of the same name. */
function addMultiValueHeaders(multiValueHeaders: unknown, out: Headers): boolean {
  if (multiValueHeaders === undefined || multiValueHeaders === null) return true;
  if (typeof multiValueHeaders !== 'object') return false;
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return false;
    const key = name.toLowerCase();
    const existing = out[key];
    const merged = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...values.map(String)];
    out[key] = merged.length === 1 ? (merged[0] as string) : merged;
  }
  return true;
}

/** A proxy result as API Gateway accepts it; anything else is the integration's failure. */
export function proxyResultReply(result: unknown): Reply | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const out: Headers = {};
  if (!addHeaders(headers, out) || !addMultiValueHeaders(multiValueHeaders, out)) return undefined;
  // API Gateway's default when the function names none.
  out['content-type'] ??= 'application/json';
  const text = typeof body === 'string' ? body : '';
  return { status: statusCode, headers: out, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/** Writes the reply, with the gateway's request id unless the function set its own; returns the id sent. */
export function writeReply(res: ServerResponse, reply: Reply, gatewayRequestId: string): string {
  const headers = { ...reply.headers };
  headers['x-request-id'] ??= gatewayRequestId;
  const requestId = Array.isArray(headers['x-request-id']) ? (headers['x-request-id'][0] ?? gatewayRequestId) : headers['x-request-id'];
  headers['content-length'] = String(reply.body.length);
  res.writeHead(reply.status, headers);
  res.end(reply.body);
  return requestId;
}
