import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { hashAppKey } from '@astral/lib/auth';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from '../../local/signing-key';
import { testDocumentClient } from '../support/dynamodb';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Every way a credential can be wrong, over HTTP through the local gateway (which runs the real
 * authorizer as API Gateway does): each is a 401 with our JSON error body, before any endpoint runs.
 */
let stack: TestStack;
let otherKey: CryptoKey;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  stack = await startTestStack();
  otherKey = (await generateKeyPair('ES256')).privateKey;
});

afterAll(async () => {
  await stack?.stop();
});

function sign(claims: Record<string, unknown>, options: { key?: CryptoKey; alg?: string; kid?: string } = {}): Promise<string> {
  const payload = { sub: 'usr_alice1', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, iat: now(), exp: now() + 600, ...claims };
  for (const [key, value] of Object.entries(payload)) if (value === undefined) delete (payload as Record<string, unknown>)[key];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? stack.signingKey.kid })
    .sign(options.key ?? stack.signingKey.privateKey);
}

async function expect401(headers: Record<string, string>, path = '/api/v1/users/me') {
  const response = await stack.http.get(path, { headers });
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(response.body).toEqual({ message: expect.any(String), code: 'unauthorized' });
}

describe('bearer tokens', () => {
  it('a valid token reaches the endpoint (200), so the 401s below are about the token alone', async () => {
    const response = await stack.http.get('/api/v1/users/me', { headers: { Authorization: `Bearer ${await sign({})}` } });
    expect(response.status).toBe(200);
  });

  const cases: [string, () => Promise<string>][] = [
    ['expired', () => sign({ exp: now() - 120 })],
    ['without exp', () => sign({ exp: undefined })],
    ['not yet valid', () => sign({ nbf: now() + 600 })],
    ['from another issuer', () => sign({ iss: 'https://evil.example/' })],
    ['for another audience', () => sign({ aud: 'another-api' })],
    ['signed with another key (same kid)', () => sign({}, { key: otherKey })],
    [
      'signed with an unlisted algorithm (HS256)',
      () => sign({}, { alg: 'HS256', key: new TextEncoder().encode('0123456789abcdef0123456789abcdef') as unknown as CryptoKey }),
    ],
    [
      'with alg none',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'usr_alice1', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, exp: now() + 600 })}.`,
    ],
    ['without sub', () => sign({ sub: undefined })],
    ['malformed', async () => 'this-is-not-a-jwt'],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await sign({})).split('.');
        return `${header}.${b64({ sub: 'usr_admin', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, exp: now() + 600, astral_admin: true })}.${signature}`;
      },
    ],
  ];

  it.each(cases)('a token %s is 401 with our JSON body', async (_name, make) => {
    await expect401({ Authorization: `Bearer ${await make()}` });
  });

  it('a non-bearer Authorization header is 401', async () => {
    await expect401({ Authorization: 'Basic dXNlcjpwYXNz' });
  });
});

describe('app keys', () => {
  it('a valid key reaches the endpoint (201)', async () => {
    const key = await stack.appKey('valid');
    const response = await stack.http.post('/api/v1/users', { display_name: 'Imported' }, { headers: { 'X-API-Key': key } });
    expect(response.status).toBe(201);
  });

  it.each([
    ['unknown', `astral_${'u'.repeat(43)}`],
    ['malformed', 'not-a-key'],
    ['empty', ''],
  ])('an %s key is 401 with our JSON body', async (_name, key) => {
    const response = await stack.http.post('/api/v1/users', { display_name: 'Imported' }, { headers: { 'X-API-Key': key } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: expect.any(String), code: 'unauthorized' });
  });

  it('a revoked key is 401 with our JSON body', async () => {
    const key = await stack.appKey('to revoke');
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `APPKEY#${hashAppKey(key)}`, sk: 'APPKEY' },
        UpdateExpression: 'SET #s = :r',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'revoked' },
      }),
    );
    // The in-process authorizer may have cached nothing for this key yet: the first use after revocation must fail.
    const response = await stack.http.post('/api/v1/users', { display_name: 'Imported' }, { headers: { 'X-API-Key': key } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: expect.any(String), code: 'unauthorized' });
  });

  it('no credentials at all is 401 with our JSON body', async () => {
    await expect401({}, '/api/v1/users/me');
  });
});
