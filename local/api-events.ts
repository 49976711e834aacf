import type { IncomingMessage } from 'node:http';
import type { APIGatewayEventRequestContextWithAuthorizer, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION } from './lambda-context';
import type { RouteMatch } from './routes';

export const LOCAL_API_ID = 'local';
export const LOCAL_STAGE = 'local';

/** What API Gateway knows about a request before any function runs. */
export interface IncomingRequest {
  readonly requestId: string;
  readonly method: string;
  /** As received: API Gateway REST APIs pass the path (and path parameters) without decoding. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query: Record<string, string> | null;
  readonly multiValueQuery: Record<string, string[]> | null;
  readonly sourceIp: string;
  readonly receivedAt: Date;
}

export function describeRequest(req: IncomingMessage, requestId: string): IncomingRequest {
  const url = new URL(req.url ?? '/', 'http://local');
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // rawHeaders keeps the client's spelling, which API Gateway passes through unchanged.
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index] as string;
    const value = req.rawHeaders[index + 1] as string;
    const existing = Object.keys(multiValueHeaders).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
    (multiValueHeaders[existing] ??= []).push(value);
    headers[existing] = value;
  }
  // API Gateway adds these; handlers behind it may rely on them.
  const added = { 'X-Forwarded-For': sourceIp, 'X-Forwarded-Port': String(req.socket.localPort ?? ''), 'X-Forwarded-Proto': 'http' };
  for (const [name, value] of Object.entries(added)) {
    if (Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase())) continue;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  let query: Record<string, string> | null = null;
  let multiValueQuery: Record<string, string[]> | null = null;
  for (const [key, value] of url.searchParams) {
    (query ??= {})[key] = value;
    ((multiValueQuery ??= {})[key] ??= []).push(value);
  }
  return {
    requestId,
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    headers,
    multiValueHeaders,
    query,
    multiValueQuery,
    sourceIp,
    receivedAt: new Date(),
  };
}

/** `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}`, what policies are written against. */
export const methodArn = (request: IncomingRequest): string =>
  `arn:aws:execute-api:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/${LOCAL_STAGE}/${request.method}${request.path}`;

function requestTime(date: Date): string {
  // API Gateway's CLF-style timestamp: 23/Nov/2025:01:23:45 +0000
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function requestContext<T>(request: IncomingRequest, match: RouteMatch, authorizer: T): APIGatewayEventRequestContextWithAuthorizer<T> {
  const host = Object.entries(request.headers).find(([key]) => key.toLowerCase() === 'host')?.[1] ?? 'localhost';
  const userAgent = Object.entries(request.headers).find(([key]) => key.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    authorizer,
    domainName: host,
    domainPrefix: host.split('.')[0] ?? host,
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent,
      userArn: null,
    },
    path: `/${LOCAL_STAGE}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: match.route.name,
    resourcePath: match.route.path,
    stage: LOCAL_STAGE,
  };
}

/** The REQUEST authorizer's input. Unlike the proxy event, absent maps are empty objects, not null. */
export function authorizerEvent(request: IncomingRequest, match: RouteMatch): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: methodArn(request),
    resource: match.route.path,
    path: request.path,
    httpMethod: request.method,
    headers: { ...request.headers },
    multiValueHeaders: structuredClone(request.multiValueHeaders),
    queryStringParameters: { ...request.query },
    multiValueQueryStringParameters: structuredClone(request.multiValueQuery ?? {}),
    pathParameters: { ...match.pathParameters },
    stageVariables: {},
    requestContext: requestContext(request, match, undefined),
  };
}

export type ProxyAuthorizerContext = Record<string, string | number> & { principalId: string };

/** The proxy integration's input (payload format 1.0). */
export function proxyEvent(
  request: IncomingRequest,
  match: RouteMatch,
  body: string | null,
  authorizer: ProxyAuthorizerContext | null,
): APIGatewayProxyEvent {
  return {
    resource: match.route.path,
    path: request.path,
    httpMethod: request.method,
    headers: { ...request.headers },
    multiValueHeaders: structuredClone(request.multiValueHeaders),
    queryStringParameters: request.query ? { ...request.query } : null,
    multiValueQueryStringParameters: request.multiValueQuery ? structuredClone(request.multiValueQuery) : null,
    pathParameters: match.pathParameters ? { ...match.pathParameters } : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: requestContext(request, match, authorizer),
  };
}
