import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { hashAppKey } from '@astral/lib/auth';
import { CREDENTIAL_REJECTIONS, type CredentialRejection } from '@astral/lib/config';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from '../../local/signing-key';
import { testDocumentClient } from '../support/dynamodb';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Every way a credential can be wrong, over HTTP through the local gateway (which runs the real
 * authorizer as API Gateway does): each is a 401 with our JSON error body naming exactly one reason
 * (api.md "Conventions"), before any endpoint runs, and never echoing the credential.
 */
let stack: TestStack;
let otherKey: CryptoKey;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const YEAR_3000 = Math.floor(Date.UTC(3000, 0, 1) / 1000);

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

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: unknown;
}

function expectReason(response: Answer, reason: CredentialRejection, sent: readonly string[]) {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(response.body).toEqual({
    message: 'invalid or missing credentials',
    code: 'unauthorized',
    details: [{ path: CREDENTIAL_REJECTIONS[reason].path, message: CREDENTIAL_REJECTIONS[reason].message, reason }],
  });
  // Nothing secret comes back: not the token, not the key.
  for (const value of sent.filter((v) => v.length > 8)) expect(response.text).not.toContain(value);
}

async function expect401(headers: Record<string, string>, reason: CredentialRejection, path = '/api/v1/users/me') {
  expectReason(await stack.http.get(path, { headers }), reason, Object.values(headers));
}

async function expectKey401(key: string, reason: CredentialRejection) {
  const response = await stack.http.post('/api/v1/users', { display_name: 'Imported' }, { headers: { 'X-API-Key': key } });
  expectReason(response, reason, [key]);
}

describe('bearer tokens', () => {
  it('a valid token reaches the endpoint (200), so the 401s below are about the token alone', async () => {
    const response = await stack.http.get('/api/v1/users/me', { headers: { Authorization: `Bearer ${await sign({})}` } });
    expect(response.status).toBe(200);
  });

  const cases: [string, CredentialRejection, () => Promise<string>][] = [
    ['expired', 'token_expired', () => sign({ exp: now() - 120 })],
    ['without exp', 'invalid_token', () => sign({ exp: undefined })],
    // Issue 13: a maximum token age (default 24 h) whatever `exp` says, so `iat` is required.
    ['issued 25 hours ago, with exp in the year 3000', 'token_expired', () => sign({ iat: now() - 25 * 3600, exp: YEAR_3000 })],
    ['without iat, with exp in the year 3000', 'invalid_token', () => sign({ iat: undefined, exp: YEAR_3000 })],
    ['issued an hour from now', 'invalid_token', () => sign({ iat: now() + 3600, exp: now() + 7200 })],
    ['not yet valid', 'invalid_token', () => sign({ nbf: now() + 600 })],
    ['from another issuer', 'invalid_token', () => sign({ iss: 'https://evil.example/' })],
    ['for another audience', 'invalid_token', () => sign({ aud: 'another-api' })],
    ['signed with another key (same kid)', 'invalid_token', () => sign({}, { key: otherKey })],
    [
      'signed with an unlisted algorithm (HS256)',
      'invalid_token',
      () => sign({}, { alg: 'HS256', key: new TextEncoder().encode('0123456789abcdef0123456789abcdef') as unknown as CryptoKey }),
    ],
    [
      'with alg none',
      'invalid_token',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'usr_alice1', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, exp: now() + 600 })}.`,
    ],
    ['without sub', 'invalid_token', () => sign({ sub: undefined })],
    ['malformed', 'malformed_authorization', async () => 'this-is-not-a-jwt'],
    [
      'with a tampered payload',
      'invalid_token',
      async () => {
        const [header, , signature] = (await sign({})).split('.');
        return `${header}.${b64({ sub: 'usr_admin', iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, exp: now() + 600, astral_admin: true })}.${signature}`;
      },
    ],
  ];

  it.each(cases)('a token %s is 401 %s', async (_name, reason, make) => {
    await expect401({ Authorization: `Bearer ${await make()}` }, reason);
  });

  it('a token issued 23 hours ago is still within the default maximum age (200)', async () => {
    const response = await stack.http.get('/api/v1/users/me', {
      headers: { Authorization: `Bearer ${await sign({ iat: now() - 23 * 3600, exp: now() + 600 })}` },
    });
    expect(response.status).toBe(200);
  });

  it('a non-bearer Authorization header is 401 malformed_authorization', async () => {
    await expect401({ Authorization: 'Basic dXNlcjpwYXNz' }, 'malformed_authorization');
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
  ])('an %s key is 401 unknown_app_key', async (_name, key) => {
    await expectKey401(key, 'unknown_app_key');
  });

  // The app-only routes' authorizer is keyed on X-API-Key (ADR 0014): API Gateway treats an empty
  // identity source as a missing one and answers before calling it.
  it('an empty key on an app-only route is 401 missing_credentials', async () => {
    await expectKey401('', 'missing_credentials');
  });

  it('a revoked key is 401 revoked_app_key', async () => {
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
    await expectKey401(key, 'revoked_app_key');
  });
});

describe('which credential', () => {
  it('no credentials at all is 401 missing_credentials', async () => {
    await expect401({}, 'missing_credentials');
  });

  it('both an app key and a bearer token is 401 both_credentials, even when each alone is valid', async () => {
    const key = await stack.appKey('both');
    const headers = { 'X-API-Key': key, Authorization: `Bearer ${await sign({})}` };
    expectReason(await stack.http.post('/api/v1/users', { display_name: 'Both' }, { headers }), 'both_credentials', Object.values(headers));
  });
});
