import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createAuthorizer, fromAuthorizerContext, type AppKeyResolution, type VerifiedUser } from '@astral/lib/auth';
import { CREDENTIAL_REJECTIONS } from '@astral/lib/config';
import { quietInfoLogs } from '../../support/log-capture';

const GOOD_KEY = `astral_${'a'.repeat(43)}`;
const REVOKED_KEY = `astral_${'r'.repeat(43)}`;
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/api/v1/organizations';
/** API Gateway reuses a cached answer on every route of its authorizer, so the policy names the whole API (ADR 0014). */
const wholeApi = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*';

/** What the `Authorization` authorizer (TOKEN) is given: the header's value and the method, nothing else. */
const tokenEvent = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn, authorizationToken });

function event(headers: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/api/v1/organizations',
    path: '/api/v1/organizations',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: {},
    pathParameters: {},
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: { requestId: 'req-1' } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

const authorize = createAuthorizer({
  verifyToken: async (token): Promise<VerifiedUser> => {
    if (token === 'aaa.bbb.ccc') return { kind: 'user', user_id: 'usr_alice1', is_admin: false, valid_until: 1_900_000_000 };
    if (token === 'old.bbb.ccc') throw Object.assign(new Error('expired'), { code: 'ERR_JWT_EXPIRED' });
    if (token === 'odd.bbb.ccc') throw new Error('token subject is not a valid user id');
    throw Object.assign(new Error('bad'), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  },
  resolveAppKey: async (key): Promise<AppKeyResolution> => {
    if (key === GOOD_KEY) return { status: 'active', principal: { kind: 'app', app_id: 'app_one1' } };
    return key === REVOKED_KEY ? { status: 'revoked' } : { status: 'unknown' };
  },
});

// A refused credential is logged as an info line; this file asserts on results, not on logs
// (tests/unit/logging/lazy.test.ts and tests/e2e/log-hygiene.test.ts do), so keep jest's output clean.
quietInfoLogs();

describe('authorizer', () => {
  it('allows a valid bearer token on the whole API, with the user principal and its valid_until in the context, and no usage key', async () => {
    const result = await authorize(event({ Authorization: 'Bearer aaa.bbb.ccc' }));
    expect(result.principalId).toBe('usr_alice1');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApi }]);
    expect(fromAuthorizerContext(result.context)).toEqual({ kind: 'user', user_id: 'usr_alice1', is_admin: false });
    expect(result.context?.valid_until).toBe('1900000000');
    expect(result.usageIdentifierKey).toBeUndefined();
  });

  it('answers a TOKEN event (the cached Authorization authorizer) exactly as the same header in a REQUEST event', async () => {
    expect(await authorize(tokenEvent('Bearer aaa.bbb.ccc'))).toEqual(await authorize(event({ Authorization: 'Bearer aaa.bbb.ccc' })));
    expect(await authorize(tokenEvent('Basic dXNlcjpwYXNz'))).toEqual(await authorize(event({ Authorization: 'Basic dXNlcjpwYXNz' })));
  });

  it('with both headers, answers for the key alone: the X-API-Key authorizer caches under the key (the pipeline refuses the pair)', async () => {
    const both = await authorize(event({ Authorization: 'Bearer aaa.bbb.ccc', 'x-api-key': GOOD_KEY }));
    expect(both).toEqual(await authorize(event({ 'x-api-key': GOOD_KEY })));
    expect(fromAuthorizerContext(both.context)).toEqual({ kind: 'app', app_id: 'app_one1' });
    const revoked = await authorize(event({ Authorization: 'Bearer aaa.bbb.ccc', 'x-api-key': REVOKED_KEY }));
    expect(revoked.context?.reason).toBe('revoked_app_key');
  });

  it('names the method ARN as given when it is not an execute-api ARN (never wider than it was told)', async () => {
    const result = await authorize({ ...event({ 'x-api-key': GOOD_KEY }), methodArn: 'not-an-arn' });
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'not-an-arn' }]);
  });

  it('meters user tokens under the user-traffic usage key when one is configured', async () => {
    const withUserPlan = createAuthorizer({
      verifyToken: async () => ({ kind: 'user', user_id: 'usr_alice1', is_admin: false }),
      resolveAppKey: async () => ({ status: 'unknown' }),
      userUsageKey: 'astral-users-abc',
    });
    expect((await withUserPlan(event({ Authorization: 'Bearer aaa.bbb.ccc' }))).usageIdentifierKey).toBe('astral-users-abc');
  });

  it('allows a valid app key and returns it as the usage identifier so the usage plan meters it', async () => {
    const result = await authorize(event({ 'x-api-key': GOOD_KEY }));
    expect(fromAuthorizerContext(result.context)).toEqual({ kind: 'app', app_id: 'app_one1' });
    expect(result.usageIdentifierKey).toBe(GOOD_KEY);
  });

  it.each([
    ['no credentials', {}, 'missing_credentials'],
    ['a non-bearer scheme', { Authorization: 'Basic dXNlcjpwYXNz' }, 'malformed_authorization'],
    ['a bearer header without a jwt', { Authorization: 'Bearer ' }, 'malformed_authorization'],
    ['an invalid token', { Authorization: 'Bearer xxx.yyy.zzz' }, 'invalid_token'],
    ['a token the verifier refuses without a jose code', { Authorization: 'Bearer odd.bbb.ccc' }, 'invalid_token'],
    ['an expired token (jose ERR_JWT_EXPIRED)', { Authorization: 'Bearer old.bbb.ccc' }, 'token_expired'],
    ['an unknown app key', { 'X-API-Key': `astral_${'b'.repeat(43)}` }, 'unknown_app_key'],
    ['a revoked app key', { 'X-API-Key': REVOKED_KEY }, 'revoked_app_key'],
  ] as const)('denies %s with the reason in the context (%s), never throwing', async (_name, headers, reason) => {
    const result = await authorize(event(headers));
    expect(result).toEqual({
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: wholeApi }] },
      context: { reason, reason_path: CREDENTIAL_REJECTIONS[reason].path, reason_message: CREDENTIAL_REJECTIONS[reason].message },
    });
    // Nothing the caller sent comes back.
    expect(JSON.stringify(result)).not.toMatch(/aaa\.bbb|dXNlcjpwYXNz|astral_/);
  });
});
