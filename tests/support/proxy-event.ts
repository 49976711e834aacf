import type { APIGatewayProxyEvent } from 'aws-lambda';

export const REQUEST_ID = '5f0c7a1e-2b7d-4c55-9d1f-8f2a0e6b9a11';
export const ORG_ID = 'org_Wqe9P0xZLAbD0F6kqhfAov';

export interface EventOptions {
  readonly method?: string;
  /** The route's resource template; the path is it with the path parameters filled in. */
  readonly resource?: string;
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string> | null;
  readonly query?: Record<string, string> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  /** What the REQUEST authorizer returned as context; API Gateway adds principalId and integrationLatency. */
  readonly authorizer?: Record<string, string> | null;
  /** The usage-plan key API Gateway metered the call under (`identity.apiKeyId`). */
  readonly apiKeyId?: string;
}

/**
 * An API Gateway REST proxy event (payload 1.0) as the deployed API hands it to a function: what
 * unit tests of the HTTP pipeline invoke handlers with. Defaults: PUT /api/v1/organizations/{org_id}
 * from a user token (the authorizer's context, plus the principalId and integrationLatency API
 * Gateway adds).
 */
export function proxyEvent(options: EventOptions = {}): APIGatewayProxyEvent {
  const method = options.method ?? 'PUT';
  const headers = { Host: 'abc123defg.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'curl/8.5.0', ...options.headers };
  const authorizer = options.authorizer === null ? null : (options.authorizer ?? { kind: 'user', user_id: 'usr_coach', is_admin: 'false' });
  const resource = options.resource ?? '/api/v1/organizations/{org_id}';
  const pathParameters = options.pathParameters === undefined ? { org_id: ORG_ID } : options.pathParameters;
  const path = Object.entries(pathParameters ?? {}).reduce((filled, [name, value]) => filled.replace(`{${name}}`, value), resource);
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([key, value]) => [key, [value]]))
      : null,
    pathParameters,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: authorizer ? { ...authorizer, principalId: authorizer.user_id ?? authorizer.app_id ?? '', integrationLatency: 41 } : null,
      domainName: headers.Host,
      domainPrefix: 'abc123defg',
      extendedRequestId: 'Qd3cEFxYliAEb7w=',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: options.apiKeyId ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: headers['User-Agent'],
        userArn: null,
      },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: REQUEST_ID,
      requestTime: '23/Nov/2025:01:23:45 +0000',
      requestTimeEpoch: 1763861025000,
      resourceId: 'x1y2z3',
      resourcePath: resource,
      stage: 'prod',
    },
  };
}

/** The route fields of an endpoint contract that pipeline tests do not exercise (they call the handler directly). */
export const TEST_CONTRACT = {
  method: 'GET',
  path: '/test',
  summary: 'test',
  tag: 'Test',
  tableAccess: 'none',
  responses: async () => ({}),
  errors: [],
} as const;
