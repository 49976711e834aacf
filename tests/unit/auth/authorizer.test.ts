import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createAuthorizer, fromAuthorizerContext, type AppPrincipal, type UserPrincipal } from '@astral/lib/auth';

const GOOD_KEY = `astral_${'a'.repeat(43)}`;
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/api/v1/organizations';

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
  verifyToken: async (token): Promise<UserPrincipal> => {
    if (token === 'aaa.bbb.ccc') return { kind: 'user', user_id: 'usr_alice1', is_admin: false };
    throw Object.assign(new Error('bad'), { code: 'ERR_JWT_EXPIRED' });
  },
  resolveAppKey: async (key): Promise<AppPrincipal | undefined> => (key === GOOD_KEY ? { kind: 'app', app_id: 'app_one1' } : undefined),
});

describe('authorizer', () => {
  it('allows a valid bearer token with the user principal in the context and no usage key', async () => {
    const result = await authorize(event({ Authorization: 'Bearer aaa.bbb.ccc' }));
    expect(result.principalId).toBe('usr_alice1');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }]);
    expect(fromAuthorizerContext(result.context)).toEqual({ kind: 'user', user_id: 'usr_alice1', is_admin: false });
    expect(result.usageIdentifierKey).toBeUndefined();
  });

  it('meters user tokens under the user-traffic usage key when one is configured', async () => {
    const withUserPlan = createAuthorizer({
      verifyToken: async () => ({ kind: 'user', user_id: 'usr_alice1', is_admin: false }),
      resolveAppKey: async () => undefined,
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
    ['no credentials', {}],
    ['an unknown app key', { 'X-API-Key': `astral_${'b'.repeat(43)}` }],
    ['an invalid token', { Authorization: 'Bearer xxx.yyy.zzz' }],
    ['a non-bearer scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['a bearer header without a jwt', { Authorization: 'Bearer ' }],
    ['both credentials at once', { Authorization: 'Bearer aaa.bbb.ccc', 'x-api-key': GOOD_KEY }],
  ])('answers Unauthorized (401) for %s', async (_name, headers) => {
    await expect(authorize(event(headers))).rejects.toThrow(/^Unauthorized$/);
  });
});
