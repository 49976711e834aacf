import { contractChecker } from './contract';

/**
 * A tiny fetch wrapper for tests over HTTP: JSON in, parsed JSON (when there is any) out. Every
 * response is checked against the OpenAPI document on the way (tests/support/contract.ts).
 */
export interface HttpResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body when the response is JSON, otherwise undefined. */
  readonly body: T | undefined;
}

export interface RequestOptions {
  /** Objects are sent as JSON; strings are sent as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string> | undefined;
}

export interface ClientOptions {
  /**
   * Check each response against docs/openapi.json (the default). Off only for a gateway serving
   * fixture routes and a fixture authorizer, which are not this API.
   */
  readonly checkContract?: boolean;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
  client: ClientOptions = {},
): Promise<HttpResult<T>> {
  const hasBody = options.body !== undefined;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(hasBody
      ? { body: typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  const isJson = /application\/(.+\+)?json/i.test(response.headers.get('content-type') ?? '');
  const body = isJson && text !== '' ? (JSON.parse(text) as T) : undefined;
  if (client.checkContract !== false) contractChecker().checkResponse(method, path, response.status, response.headers, body);
  return { status: response.status, headers: response.headers, text, body };
}

export interface HttpClient {
  get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  post<T = Record<string, unknown>>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult<T>>;
  put<T = Record<string, unknown>>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult<T>>;
  delete<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  request<T = Record<string, unknown>>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
}

export function httpClient(baseUrl: string, client: ClientOptions = {}): HttpClient {
  return {
    get: (path, options) => request(baseUrl, 'GET', path, options, client),
    post: (path, body, options) => request(baseUrl, 'POST', path, { ...options, body }, client),
    put: (path, body, options) => request(baseUrl, 'PUT', path, { ...options, body }, client),
    delete: (path, options) => request(baseUrl, 'DELETE', path, options, client),
    request: (method, path, options) => request(baseUrl, method, path, options, client),
  };
}

/** Bearer and app-key headers, spelled as the documents spell them. */
export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
export const apiKey = (key: string): Record<string, string> => ({ 'X-API-Key': key });
