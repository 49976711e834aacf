import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { hashAppKey } from '@astral/lib/auth';
import {
  APP_KEY_REVOCATION_BOUND_SECONDS,
  AUTHORIZER_CACHE_TTL_SECONDS,
  type CredentialRejection,
  DEFAULT_TOKEN_MAX_AGE_SECONDS,
} from '@astral/lib/config';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from '../../local/signing-key';
import { testDocumentClient } from '../support/dynamodb';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * API Gateway's authorizer result cache as the local gateway emulates it (ADR 0014): the user-only
 * routes' authorizer keyed on Authorization (300 s), the app-only routes' on X-API-Key (20 s), the
 * routes taking either uncached. The gateway's cache, the handlers and the authorizer's own memory of
 * app keys all count time on lib/clock, which each test pins and steps: no test waits.
 */
let stack: TestStack;
const G = AUTHORIZER_CACHE_TTL_SECONDS.appKey;
const M = AUTHORIZER_CACHE_TTL_SECONDS.appKeyMemory;
const U = AUTHORIZER_CACHE_TTL_SECONDS.userToken;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => stack.pinClock(undefined));

/** Pins the clock at a fresh origin and returns a function that moves it to `seconds` after it. */
function clockFrom(origin = Date.now()): (seconds: number) => void {
  stack.pinClock(new Date(origin));
  return (seconds) => stack.pinClock(new Date(origin + seconds * 1000));
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const appKey = (key: string) => ({ 'X-API-Key': key });

/** Runs `call` and reports how many times the authorizer ran meanwhile. */
async function counting<T>(call: () => Promise<T>): Promise<{ result: T; invocations: number }> {
  const before = stack.authorizerInvocations();
  const result = await call();
  return { result, invocations: stack.authorizerInvocations() - before };
}

function expectReason(response: { status: number; body: unknown }, reason: CredentialRejection) {
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ code: 'unauthorized', details: [{ reason }] });
}

async function revoke(key: string): Promise<void> {
  await testDocumentClient().send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: { pk: `APPKEY#${hashAppKey(key)}`, sk: 'APPKEY' },
      UpdateExpression: 'SET #s = :r',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':r': 'revoked' },
    }),
  );
}

/** POST /users, an app-only route. */
const registerUser = (key: string) =>
  stack.http.post<{ user: { user_id: string } }>('/api/v1/users', { display_name: 'Imported' }, { headers: appKey(key) });

describe('a cache hit skips the authorizer', () => {
  it('a token answered on one user-only route is reused on another, until the TTL passes; another token is its own entry', async () => {
    const at = clockFrom();
    const token = await stack.token('usr_cachehit1');
    const first = await counting(() => stack.http.get('/api/v1/users/me', { headers: bearer(token) }));
    expect([first.result.status, first.invocations]).toEqual([200, 1]);
    const again = await counting(() => stack.http.get('/api/v1/users/me', { headers: bearer(token) }));
    expect([again.result.status, again.invocations]).toEqual([200, 0]);
    // The policy names the whole API, so the cached Allow holds on another route of the same authorizer.
    at(U - 1);
    const elsewhere = await counting(() => stack.http.get('/api/v1/users/me/memberships', { headers: bearer(token) }));
    expect([elsewhere.result.status, elsewhere.invocations]).toEqual([200, 0]);
    at(U);
    const expired = await counting(() => stack.http.get('/api/v1/users/me/memberships', { headers: bearer(token) }));
    expect([expired.result.status, expired.invocations]).toEqual([200, 1]);
    const other = await counting(async () => stack.http.get('/api/v1/users/me', { headers: bearer(await stack.token('usr_cachehit1')) }));
    expect(other.invocations).toBe(1);
  });

  it('an app key answered on one app-only route is reused on another (with usage identifier: no 403), until the TTL passes', async () => {
    const at = clockFrom();
    const key = await stack.appKey('cache hit');
    const first = await counting(() => registerUser(key));
    expect([first.result.status, first.invocations]).toEqual([201, 1]);
    at(G - 1);
    // Reaches the endpoint (its own 400), so the cached Allow and its usage identifier held on POST /organizations.
    const elsewhere = await counting(() => stack.http.post('/api/v1/organizations', {}, { headers: appKey(key) }));
    expect([elsewhere.result.status, elsewhere.invocations]).toEqual([400, 0]);
    at(G);
    expect((await counting(() => registerUser(key))).invocations).toBe(1);
  });

  it('the routes taking either credential run the authorizer every time', async () => {
    clockFrom();
    const key = await stack.appKey('either');
    const userId = (await registerUser(key)).body?.user.user_id;
    for (let round = 0; round < 2; round += 1) {
      const read = await counting(() => stack.http.get(`/api/v1/users/${userId}`, { headers: appKey(key) }));
      expect([read.result.status, read.invocations]).toEqual([200, 1]);
    }
  });

  it('a cached Deny still names its reason (ACCESS_DENIED renders the cached context) on every route of its authorizer', async () => {
    clockFrom();
    const denied = await counting(() => stack.http.get('/api/v1/users/me', { headers: { Authorization: 'Bearer not-a-jwt' } }));
    expectReason(denied.result, 'malformed_authorization');
    expect(denied.invocations).toBe(1);
    const cached = await counting(() => stack.http.get('/api/v1/users/me/memberships', { headers: { Authorization: 'Bearer not-a-jwt' } }));
    expectReason(cached.result, 'malformed_authorization');
    expect(cached.invocations).toBe(0);
  });
});

describe('the credential kind still holds with answers in the cache', () => {
  it('an app-only route with a user token, and a user-only route with an app key, are 401 before any authorizer runs', async () => {
    clockFrom();
    const token = await stack.token('usr_kinds1');
    const key = await stack.appKey('kinds');
    expect((await stack.http.get('/api/v1/users/me', { headers: bearer(token) })).status).toBe(200);
    expect((await registerUser(key)).status).toBe(201);
    // Both answers are cached now; neither header opens the other kind's routes.
    const userOnApp = await counting(() => stack.http.post('/api/v1/users', { display_name: 'X' }, { headers: bearer(token) }));
    expectReason(userOnApp.result, 'missing_credentials');
    const appOnUser = await counting(() => stack.http.get('/api/v1/users/me', { headers: appKey(key) }));
    expectReason(appOnUser.result, 'missing_credentials');
    expect(userOnApp.invocations + appOnUser.invocations).toBe(0);
  });

  it('both headers are 401 both_credentials even when the one the route is keyed on is a cache hit', async () => {
    clockFrom();
    const token = await stack.token('usr_kinds2');
    const key = await stack.appKey('both');
    expect((await stack.http.get('/api/v1/users/me', { headers: bearer(token) })).status).toBe(200);
    expect((await registerUser(key)).status).toBe(201);
    const both = { ...bearer(token), ...appKey(key) };
    const onUser = await counting(() => stack.http.get('/api/v1/users/me', { headers: both }));
    expectReason(onUser.result, 'both_credentials');
    const onApp = await counting(() => stack.http.post('/api/v1/users', { display_name: 'X' }, { headers: both }));
    expectReason(onApp.result, 'both_credentials');
    expect(onUser.invocations + onApp.invocations).toBe(0);
    // And the pair left each credential's own entry as it was.
    expect((await stack.http.get('/api/v1/users/me', { headers: bearer(token) })).status).toBe(200);
    expect((await registerUser(key)).status).toBe(201);
  });
});

describe('lags', () => {
  it('a revoked app key keeps working until the gateway TTL passes, then is refused', async () => {
    const at = clockFrom();
    const key = await stack.appKey('revoked later');
    expect((await registerUser(key)).status).toBe(201);
    await revoke(key);
    at(G - 1);
    expect((await registerUser(key)).status).toBe(201);
    at(G);
    expectReason(await registerUser(key), 'revoked_app_key');
  });

  it(`the worst case, the authorizer's memory then the gateway's cache, stays within the documented ${APP_KEY_REVOCATION_BOUND_SECONDS} s`, async () => {
    expect(G + M).toBeLessThanOrEqual(APP_KEY_REVOCATION_BOUND_SECONDS);
    const at = clockFrom();
    const key = await stack.appKey('worst case');
    const userId = (await registerUser(key)).body?.user.user_id;
    // The uncached route fills the authorizer's memory at 0 without filling the X-API-Key cache ...
    at(G);
    expect((await stack.http.get(`/api/v1/users/${userId}`, { headers: appKey(key) })).status).toBe(200);
    await revoke(key);
    // ... which answers the X-API-Key authorizer's miss just before it expires, and the gateway keeps that for its TTL.
    at(G + M - 1);
    const fromMemory = await counting(() => registerUser(key));
    expect([fromMemory.result.status, fromMemory.invocations]).toEqual([201, 1]);
    at(G + M - 1 + G - 1);
    expect((await registerUser(key)).status).toBe(201);
    // Revoked at G: refused by G + the bound at the latest.
    at(G + APP_KEY_REVOCATION_BOUND_SECONDS);
    expectReason(await registerUser(key), 'revoked_app_key');
  });

  it('an expired token is refused on a cache hit, on every route, without the authorizer', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const at = clockFrom(iat * 1000);
    const token = await new SignJWT({ sub: 'usr_expiring1', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, iat, exp: iat + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: stack.signingKey.kid })
      .sign(stack.signingKey.privateKey);
    expect((await stack.http.get('/api/v1/users/me', { headers: bearer(token) })).status).toBe(200);
    // jose accepts a token 30 s past its exp (clock tolerance); so does the pipeline, and no longer.
    at(60 + 29);
    const late = await counting(() => stack.http.get('/api/v1/users/me', { headers: bearer(token) }));
    expect([late.result.status, late.invocations]).toEqual([200, 0]);
    at(60 + 30);
    for (const path of ['/api/v1/users/me', '/api/v1/users/me/memberships']) {
      const expired = await counting(() => stack.http.get(path, { headers: bearer(token) }));
      expectReason(expired.result, 'token_expired');
      expect(expired.invocations).toBe(0);
    }
  });

  it('a token past its maximum age (by iat) is refused on a cache hit too', async () => {
    const now = Math.floor(Date.now() / 1000);
    const at = clockFrom(now * 1000);
    const maxAge = DEFAULT_TOKEN_MAX_AGE_SECONDS;
    const iat = now - maxAge + 100;
    const token = await new SignJWT({ sub: 'usr_aging1', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, iat, exp: iat + 2 * maxAge })
      .setProtectedHeader({ alg: 'ES256', kid: stack.signingKey.kid })
      .sign(stack.signingKey.privateKey);
    expect((await stack.http.get('/api/v1/users/me', { headers: bearer(token) })).status).toBe(200);
    at(100 + 30);
    const aged = await counting(() => stack.http.get('/api/v1/users/me', { headers: bearer(token) }));
    expectReason(aged.result, 'token_expired');
    expect(aged.invocations).toBe(0);
  });
});
