import { createLocalJWKSet, jwtVerify } from 'jose';
import { startLocalGateway, type LocalGateway } from '../../local/gateway';
import { generateSigningKey, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, signLocalToken, type SigningKey } from '../../local/signing-key';
import { testDynamoDbEndpoint } from '../support/dynamodb';
import { FIXTURE_AUTHORIZER, FIXTURE_ROUTES } from '../support/fixtures/gateway/routes';
import { httpClient, type HttpClient, type HttpResult } from '../support/http';

interface Echo {
  event: {
    resource: string;
    path: string;
    httpMethod: string;
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    queryStringParameters: Record<string, string> | null;
    multiValueQueryStringParameters: Record<string, string[]> | null;
    pathParameters: Record<string, string> | null;
    stageVariables: unknown;
    body: string | null;
    isBase64Encoded: boolean;
    requestContext: {
      requestId: string;
      resourcePath: string;
      httpMethod: string;
      stage: string;
      identity: { sourceIp: string };
      authorizer: Record<string, string | number> | null;
    };
  };
  context: { functionName: string; awsRequestId: string; invokedFunctionArn: string; remainingTimeMs: number };
}

let gateway: LocalGateway;
let http: HttpClient;
let signingKey: SigningKey;
const logs: string[] = [];

const auth = (mode: string): Record<string, string> => ({ 'x-fixture-auth': mode });

const UNAUTHORIZED = {
  message: 'invalid or missing credentials',
  code: 'unauthorized',
  details: [{ path: 'headers', message: expect.any(String), reason: 'missing_credentials' }],
};
const FORBIDDEN = { message: 'access denied', code: 'forbidden' };
const NOT_FOUND = { message: 'not found', code: 'not_found' };
const INTERNAL = { message: 'internal server error', code: 'internal_error' };

function expectRequestId(response: HttpResult<unknown>): string {
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$|^handler-/);
  return id as string;
}

beforeAll(async () => {
  signingKey = await generateSigningKey();
  gateway = await startLocalGateway({
    port: 0,
    tableName: 'gateway-fixtures-no-table',
    dynamoDbEndpoint: testDynamoDbEndpoint(),
    signingKey,
    routes: FIXTURE_ROUTES,
    authorizer: FIXTURE_AUTHORIZER,
    // The fixture picks its answer from x-fixture-auth: every route on the uncached REQUEST authorizer
    // (the identity sources and the cache are tests/e2e/authorizer-cache.test.ts's subject).
    cachedAuthorizers: false,
    log: (line) => logs.push(line),
  });
  // Fixture routes and a fixture authorizer: API Gateway's behaviour is under test here, not our contract.
  http = httpClient(gateway.url, { checkContract: false });
});

afterAll(async () => {
  await gateway?.stop();
});

describe('public routes (no credentials in the manifest)', () => {
  it('skip the authorizer and hand the handler a REST proxy event and a Lambda context', async () => {
    // The fixture authorizer would crash on this header: a 200 proves it never ran.
    const response = await http.get<Echo>('/api/v1/public/a%20b?x=1&x=2&y=h%C3%A9', {
      headers: { ...auth('crash'), 'X-Custom-Header': 'kept as sent' },
    });
    expect(response.status).toBe(200);
    const requestId = expectRequestId(response);
    const { event, context } = response.body as Echo;
    expect(event).toMatchObject({
      resource: '/api/v1/public/{item_id}',
      path: '/api/v1/public/a%20b',
      httpMethod: 'GET',
      // REST APIs pass path parameters still encoded, query parameters decoded; repeats keep the last value.
      pathParameters: { item_id: 'a%20b' },
      queryStringParameters: { x: '2', y: 'hé' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['hé'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers['X-Custom-Header']).toBe('kept as sent');
    expect(event.multiValueHeaders['X-Custom-Header']).toEqual(['kept as sent']);
    expect(event.requestContext).toMatchObject({
      requestId,
      resourcePath: '/api/v1/public/{item_id}',
      httpMethod: 'GET',
      stage: 'local',
      identity: { sourceIp: '127.0.0.1' },
      authorizer: null,
    });
    expect(context.functionName).toBe('public-get');
    expect(context.invokedFunctionArn).toMatch(/:function:public-get$/);
    expect(context.awsRequestId).not.toBe(requestId);
    expect(context.remainingTimeMs).toBeGreaterThan(0);
    // multiValueHeaders from the handler reach the client as well.
    expect(response.headers.get('x-fixture')).toBe('one, two');
  });

  it('pass the raw body through and answer 413 over API Gateway’s 10 MB limit', async () => {
    const posted = await http.post<Echo>('/api/v1/public/item', { hello: 'world' });
    expect(posted.status).toBe(200);
    expect(posted.body?.event.body).toBe('{"hello":"world"}');
    expect(posted.body?.event.queryStringParameters).toBeNull();

    const tooLarge = await http.post('/api/v1/public/item', 'x'.repeat(10 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({ message: 'request body too large', code: 'payload_too_large' });
    expectRequestId(tooLarge);
  });
});

describe('routes behind the authorizer', () => {
  it('run the REQUEST authorizer first and give its context, as strings, plus principalId to the handler', async () => {
    const response = await http.get<Echo>('/api/v1/things/t1?colour=red', { headers: auth('allow-user') });
    expect(response.status).toBe(200);
    const requestId = expectRequestId(response);
    const authorizer = response.body?.event.requestContext.authorizer as Record<string, unknown>;
    expect(authorizer).toMatchObject({
      principalId: 'usr_fixture',
      kind: 'user',
      user_id: 'usr_fixture',
      // The authorizer returned the boolean false; a REST API integration receives strings.
      is_admin: 'false',
      seen_type: 'REQUEST',
      seen_method_arn: 'arn:aws:execute-api:local:000000000000:local/local/GET/api/v1/things/t1',
      seen_resource: '/api/v1/things/{thing_id}',
      seen_path: '/api/v1/things/t1',
      seen_http_method: 'GET',
      seen_path_parameters: '{"thing_id":"t1"}',
      seen_query: '{"colour":"red"}',
      seen_request_id: requestId,
    });
    expect(typeof authorizer.integrationLatency).toBe('number');
  });

  it('prefer a literal resource over a {param} one, as API Gateway does', async () => {
    const response = await http.get<Echo>('/api/v1/things/special', { headers: auth('allow-user') });
    expect(response.status).toBe(200);
    expect(response.body?.event.resource).toBe('/api/v1/things/special');
    expect(response.body?.event.pathParameters).toBeNull();
  });

  it.each([
    ['no credentials at all', {}],
    ['the authorizer throwing Unauthorized', auth('unauthorized')],
  ])('answer 401 with the static UNAUTHORIZED body for %s', async (_name, headers) => {
    const response = await http.get('/api/v1/things/t1', { headers });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
    expectRequestId(response);
  });

  it('answer a Deny policy with the ACCESS_DENIED template: 401, details rendered from the authorizer context', async () => {
    const response = await http.get('/api/v1/things/t1', { headers: auth('deny') });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toEqual({
      message: 'invalid or missing credentials',
      code: 'unauthorized',
      details: [{ path: 'headers.x-fixture-auth', message: 'the fixture says no', reason: 'fixture_reason' }],
    });
    expectRequestId(response);
  });

  it('answer an Allow for another resource only as a denial too (ACCESS_DENIED, 401)', async () => {
    const response = await http.get('/api/v1/things/t1', { headers: auth('allow-elsewhere') });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'unauthorized' });
  });

  it('match policy resources with IAM wildcards', async () => {
    expect((await http.get('/api/v1/things/t9', { headers: auth('allow-wildcard') })).status).toBe(200);
    // The wildcard policy only covers GET: a PUT is denied.
    expect((await http.put('/api/v1/things/t9', {}, { headers: auth('allow-wildcard') })).status).toBe(401);
  });

  it('answer 503 unavailable with Retry-After when the authorizer throws something other than Unauthorized (AUTHORIZER_FAILURE), and say nothing about why', async () => {
    const response = await http.get('/api/v1/things/t1', { headers: auth('crash') });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toEqual({ message: 'the service is briefly unavailable; retry later', code: 'unavailable' });
    expect(response.text).not.toContain('secret-detail');
    expectRequestId(response);
  });

  it.each([
    ['returns no policy', 'no-policy'],
    ['returns a context value that is not a string, number or boolean', 'nested-context'],
  ])('answer 500 when the authorizer %s, and say nothing about why', async (_name, mode) => {
    const response = await http.get('/api/v1/things/t1', { headers: auth(mode) });
    expect(response.status).toBe(500);
    expect(response.body).toEqual(INTERNAL);
    expect(response.text).not.toContain('secret-detail');
    expectRequestId(response);
  });

  it('require a usage identifier on every authorized method (apiKeyRequired; the key source is the authorizer)', async () => {
    const app = await http.post<Echo>('/api/v1/things', {}, { headers: auth('allow-app') });
    expect(app.status).toBe(200);
    expect(app.body?.event.requestContext.authorizer).toMatchObject({ principalId: 'app_fixture', kind: 'app', app_id: 'app_fixture' });
    expect((await http.put('/api/v1/things/t1', {}, { headers: auth('allow-user') })).status).toBe(200);

    for (const mode of ['allow-app-without-key', 'allow-user-without-key']) {
      const withoutKey = await http.post('/api/v1/things', {}, { headers: auth(mode) });
      expect(withoutKey.status).toBe(403);
      expect(withoutKey.body).toEqual(FORBIDDEN);
      expect((await http.put('/api/v1/things/t1', {}, { headers: auth(mode) })).status).toBe(403);
    }
  });
});

describe('what API Gateway answers itself', () => {
  it.each([
    ['an unknown path', 'GET', '/api/v1/nothing-here'],
    ['a path outside the API', 'GET', '/'],
    ['a path that is only a prefix of routes', 'GET', '/api/v1'],
  ])('404 JSON for %s', async (_name, method, path) => {
    const response = await http.request(method, path, { headers: auth('allow-user') });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
    expectRequestId(response);
  });

  it.each([
    ['a known path with a method it does not have', 'DELETE', '/api/v1/things/t1', 'GET, PUT'],
    ['a known path with a method only another resource has', 'POST', '/api/v1/things/special', 'GET'],
    ['a public path with a method it does not have', 'PUT', '/api/v1/public/item', 'GET, POST'],
  ])('405 JSON with Allow for %s, before any authorizer runs', async (_name, method, path, allow) => {
    // The fixture authorizer would crash (500) on this header: a 405 proves it never ran.
    const response = await http.request(method, path, { headers: auth('crash') });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.body).toEqual({ message: 'method not allowed', code: 'method_not_allowed' });
    expectRequestId(response);
  });

  it.each([
    ['throws', '/api/v1/boom'],
    ['returns something that is not a proxy result', '/api/v1/malformed'],
    ['has no module at its entry', '/api/v1/missing'],
  ])('500 JSON, without details, when the handler %s', async (_name, path) => {
    const response = await http.get(path);
    expect(response.status).toBe(500);
    expect(response.body).toEqual(INTERNAL);
    expect(response.text).not.toContain('secret-detail');
    expectRequestId(response);
  });

  it('keeps the x-request-id the handler set, and defaults the content type to JSON', async () => {
    const response = await http.get('/api/v1/own-id');
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toMatch(/^handler-[0-9a-f-]{36}$/);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('logs one line per request with method, path, status and id, and never the query string or headers', async () => {
    const response = await http.get('/api/v1/public/logged?token=secret-detail', { headers: auth('secret-detail') });
    const requestId = expectRequestId(response);
    const lines = logs.filter((line) => line.includes(requestId));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^GET /api/v1/public/logged 200 \\d+ms ${requestId}$`));
    expect(logs.join('\n')).not.toContain('secret-detail');
  });
});

describe('the local issuer', () => {
  it('serves the public JWKS that verifies tokens from the local signing key, and no private part', async () => {
    const response = await http.get<{ keys: Record<string, unknown>[] }>('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const jwks = response.body as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: signingKey.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const token = await signLocalToken(signingKey, 'usr_jwks', { admin: true, name: 'Jane Smith' });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: LOCAL_TOKEN_ISSUER,
      audience: LOCAL_TOKEN_AUDIENCE,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: signingKey.kid });
    expect(payload).toMatchObject({ sub: 'usr_jwks', name: 'Jane Smith', astral_admin: true });
    expect((payload.exp as number) - (payload.iat as number)).toBe(12 * 3600);
  });
});
