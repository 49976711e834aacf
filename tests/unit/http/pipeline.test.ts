import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  ConflictError,
  defineContract,
  httpHandler,
  NotFoundError,
  ok,
  orgIdField,
  pageQueryFields,
  z,
  type InputOf,
  type Principal,
} from '@astral/lib/http';
import { pinClock } from '../../../lib/clock';
import { lambdaContext } from '../../../local/lambda-context';
import { ORG_ID, proxyEvent, REQUEST_ID, type EventOptions, TEST_CONTRACT } from '../../support/proxy-event';
import { captureLogs, quietInfoLogs } from '../../support/log-capture';

/**
 * The one HTTP pipeline (lib/http/pipeline.ts), driven the way Lambda drives a handler: an API
 * Gateway proxy event (payload 1.0, as the REST API sends it) in, a proxy result out.
 */
const endpoint = defineContract({
  ...TEST_CONTRACT,
  name: 'pipeline-test',
  credentials: ['user'],
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject({ ...pageQueryFields }),
  body: z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(20)), tags: z.optional(z.array(z.string())) }),
  maxBodyBytes: 200,
});

/** What the endpoint's `handle` received, per call. */
let received: InputOf<typeof endpoint>[];
let behaviour: (input: InputOf<typeof endpoint>) => Promise<ReturnType<typeof ok>>;

const handler = httpHandler(endpoint, (input) => {
  received.push(input);
  return behaviour(input);
});

async function invoke(event: APIGatewayProxyEvent): Promise<{ statusCode: number; headers: unknown; body: unknown }> {
  const result = (await handler(event, lambdaContext('pipeline-test', 25_000))) as APIGatewayProxyResult;
  return { statusCode: result.statusCode, headers: result.headers, body: JSON.parse(result.body) as unknown };
}

const jsonBody = (value: unknown): Pick<EventOptions, 'headers' | 'body'> => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});

// One request log line per call would bury failures (lib/logging); errors still print.
quietInfoLogs();

beforeEach(() => {
  received = [];
  behaviour = async (input) => ok({ echoed: input.body });
});

describe('a request that passes every step', () => {
  it('reaches handle with the parsed path, query (defaults applied) and body, the principal and the request id; answers JSON with x-request-id', async () => {
    const response = await invoke(proxyEvent({ ...jsonBody({ name: 'Summit', tags: ['5k'] }), query: { limit: '20' } }));
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
      body: { echoed: { name: 'Summit', tags: ['5k'] } },
    });
    expect(received).toEqual([
      {
        params: { org_id: ORG_ID },
        query: { limit: 20 },
        body: { name: 'Summit', tags: ['5k'] },
        principal: { kind: 'user', user_id: 'usr_coach', is_admin: false },
        requestId: REQUEST_ID,
      },
    ]);
  });

  it('reads a base64-encoded body as API Gateway passes binary-safe payloads', async () => {
    await invoke(
      proxyEvent({
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ name: 'Encoded' }), 'utf8').toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(received.map((input) => input.body)).toEqual([{ name: 'Encoded' }]);
  });
});

describe('header normalizing', () => {
  it.each([['Content-Type'], ['content-type'], ['CONTENT-TYPE']])('reads %s whatever its case', async (name) => {
    const response = await invoke(proxyEvent({ headers: { [name]: 'application/json; charset=utf-8' }, body: '{"name":"Cased"}' }));
    expect(response.statusCode).toBe(200);
    expect(received.map((input) => input.body)).toEqual([{ name: 'Cased' }]);
  });

  it.each([['Content-Type'], ['CONTENT-TYPE']])('refuses a non-JSON %s with 415, without calling handle', async (name) => {
    const response = await invoke(proxyEvent({ headers: { [name]: 'text/plain' }, body: '{"name":"Plain"}' }));
    expect(response).toMatchObject({
      statusCode: 415,
      body: { message: 'request body must be application/json', code: 'unsupported_media_type' },
    });
    expect(received).toEqual([]);
  });
});

describe('JSON body', () => {
  it.each([['{"name": '], ['{name: "x"}'], ['[1, 2']])('answers 400 naming the body for %s, without calling handle', async (raw) => {
    const response = await invoke(proxyEvent({ headers: { 'Content-Type': 'application/json' }, body: raw }));
    expect(response).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
      body: { message: 'request body is not valid JSON', code: 'validation_error', details: [{ path: 'body', message: 'invalid JSON' }] },
    });
    expect(received).toEqual([]);
  });

  it('validates an absent body as an empty object, so the 400 names each required field', async () => {
    const response = await invoke(proxyEvent({ body: null }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      message: 'invalid request: name',
      code: 'validation_error',
      details: [{ path: 'name', message: 'required' }],
    });
  });

  it('answers 413 for a body over the endpoint limit, before parsing it', async () => {
    const response = await invoke(proxyEvent({ headers: { 'Content-Type': 'application/json' }, body: `{"name":"${'x'.repeat(300)}` }));
    expect(response).toMatchObject({ statusCode: 413, body: { message: 'request body exceeds 200 bytes', code: 'payload_too_large' } });
    expect(received).toEqual([]);
  });
});

describe('zod validation of path, query and body', () => {
  it.each<[string, EventOptions, { path: string; message: string }[]]>([
    ['a wrong body type', jsonBody({ name: 42 }), [{ path: 'name', message: 'expected string' }]],
    ['an unknown body field', jsonBody({ name: 'Ok', colour: 'red' }), [{ path: 'colour', message: 'unknown field' }]],
    ['a body string too long', jsonBody({ name: 'x'.repeat(21) }), [{ path: 'name', message: 'at most 20 characters' }]],
    ['a nested item of the wrong type', jsonBody({ name: 'Ok', tags: ['a', 7] }), [{ path: 'tags.1', message: 'expected string' }]],
    [
      'a malformed path parameter',
      { ...jsonBody({ name: 'Ok' }), pathParameters: { org_id: 'not-an-org' } },
      [{ path: 'org_id', message: 'must be an organization id (org_…)' }],
    ],
    [
      'a query value out of range',
      { ...jsonBody({ name: 'Ok' }), query: { limit: '101' } },
      [{ path: 'limit', message: 'must be at most 100' }],
    ],
    ['an unknown query parameter', { ...jsonBody({ name: 'Ok' }), query: { sort: 'name' } }, [{ path: 'sort', message: 'unknown field' }]],
  ])('answers 400 naming the field for %s, without calling handle', async (_case, options, details) => {
    const response = await invoke(proxyEvent(options));
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      message: `invalid request: ${details.map((d) => d.path).join(', ')}`,
      code: 'validation_error',
      details,
    });
    expect(received).toEqual([]);
  });
});

describe('principal from the authorizer context', () => {
  it.each<[string, Record<string, string>, Principal]>([
    [
      'a user',
      { kind: 'user', user_id: 'usr_member', is_admin: 'false', name: 'Mia' },
      { kind: 'user', user_id: 'usr_member', is_admin: false, name: 'Mia' },
    ],
    ['a platform admin', { kind: 'user', user_id: 'usr_admin', is_admin: 'true' }, { kind: 'user', user_id: 'usr_admin', is_admin: true }],
  ])('hands handle %s as the authorizer described them', async (_case, authorizer, principal) => {
    await invoke(proxyEvent({ ...jsonBody({ name: 'Ok' }), authorizer }));
    expect(received.map((input) => input.principal)).toEqual([principal]);
  });

  it('answers 401 when there is no authorizer context, and 403 for an app key on a user endpoint, checked before the body', async () => {
    const none = await invoke(proxyEvent({ ...jsonBody({ name: 42 }), authorizer: null }));
    expect(none).toMatchObject({
      statusCode: 401,
      body: {
        message: 'invalid or missing credentials',
        code: 'unauthorized',
        details: [{ path: 'headers', reason: 'missing_credentials' }],
      },
    });
    const app = await invoke(proxyEvent({ ...jsonBody({ name: 42 }), authorizer: { kind: 'app', app_id: 'app_importer' } }));
    expect(app).toMatchObject({ statusCode: 403, body: { message: 'this endpoint requires a user token', code: 'forbidden' } });
    expect(received).toEqual([]);
  });

  // ADR 0014: the authorizers answer for the one header they cache under, so the pair is refused here.
  it('answers 401 both_credentials to a request carrying X-API-Key and Authorization, whatever the authorizer allowed', async () => {
    const headers = { 'Content-Type': 'application/json', 'x-api-key': 'astral_key', Authorization: 'Bearer a.b.c' };
    const response = await invoke(proxyEvent({ ...jsonBody({ name: 'Ok' }), headers }));
    expect(response).toMatchObject({
      statusCode: 401,
      body: { code: 'unauthorized', details: [{ path: 'headers', reason: 'both_credentials' }] },
    });
    expect(received).toEqual([]);
  });

  // ADR 0014: API Gateway may serve a cached Allow after the token's last valid second.
  it('answers 401 token_expired once the clock reaches the valid_until the authorizer stated, and not a second before', async () => {
    const authorizer = { kind: 'user', user_id: 'usr_member', is_admin: 'false', valid_until: '1900000000' };
    try {
      pinClock(new Date(1_899_999_999_000));
      expect((await invoke(proxyEvent({ ...jsonBody({ name: 'Ok' }), authorizer }))).statusCode).toBe(200);
      pinClock(new Date(1_900_000_000_000));
      const expired = await invoke(proxyEvent({ ...jsonBody({ name: 'Ok' }), authorizer }));
      expect(expired).toMatchObject({
        statusCode: 401,
        body: { code: 'unauthorized', details: [{ path: 'headers.authorization', reason: 'token_expired' }] },
      });
      expect(received).toHaveLength(1);
    } finally {
      pinClock(undefined);
    }
  });

  it('gives a public endpoint whatever principal there is, and none without credentials', async () => {
    const seen: (Principal | undefined)[] = [];
    const publicEndpoint = defineContract({ ...TEST_CONTRACT, name: 'public-test', credentials: [] });
    const publicHandler = httpHandler(publicEndpoint, async (input) => {
      seen.push(input.principal);
      return ok({});
    });
    const context = lambdaContext('public-test', 25_000);
    await publicHandler(proxyEvent({ method: 'GET', authorizer: null }), context);
    await publicHandler(proxyEvent({ method: 'GET', authorizer: { kind: 'app', app_id: 'app_importer', org_id: ORG_ID } }), context);
    expect(seen).toEqual([undefined, { kind: 'app', app_id: 'app_importer', org_id: ORG_ID }]);
  });
});

describe('error mapper, last in the pipeline', () => {
  it('turns a domain error from handle into its status and our JSON body, with the request id', async () => {
    behaviour = async () => {
      throw new NotFoundError('organization not found');
    };
    expect(await invoke(proxyEvent(jsonBody({ name: 'Ok' })))).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
      body: { message: 'organization not found', code: 'not_found' },
    });
  });

  it('keeps the details a domain error carries', async () => {
    behaviour = async () => {
      throw new ConflictError('name already taken', [{ path: 'name', message: 'taken' }]);
    };
    expect((await invoke(proxyEvent(jsonBody({ name: 'Ok' })))).body).toEqual({
      message: 'name already taken',
      code: 'conflict',
      details: [{ path: 'name', message: 'taken' }],
    });
  });

  it('answers anything else with a generic 500 that leaks neither the message, the type nor the stack', async () => {
    const logs = captureLogs();
    try {
      behaviour = async () => {
        throw new TypeError('cannot read properties of undefined (reading "SECRET_TABLE_pk")');
      };
      const response = await invoke(proxyEvent(jsonBody({ name: 'Ok' })));
      expect(response).toEqual({
        statusCode: 500,
        headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
        body: { message: 'internal server error', code: 'internal_error' },
      });
      expect(JSON.stringify(response)).not.toMatch(/SECRET|TypeError|at /);
      // The operator still learns what happened, by request id and route.
      const errors = logs.records().filter((record) => record.level === 'ERROR');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        message: 'unhandled error',
        request_id: REQUEST_ID,
        route: 'pipeline-test',
        error: 'TypeError',
      });
    } finally {
      logs.restore();
    }
  });

  it('answers a thrown non-error the same way', async () => {
    const logs = captureLogs();
    try {
      behaviour = () => Promise.reject('a string, not an Error');
      const response = await invoke(proxyEvent(jsonBody({ name: 'Ok' })));
      expect(response).toMatchObject({ statusCode: 500, body: { message: 'internal server error', code: 'internal_error' } });
      expect(JSON.stringify(response)).not.toContain('a string');
    } finally {
      logs.restore();
    }
  });
});
