import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier } from '@astral/lib/auth';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'astral-api';
const now = () => Math.floor(Date.now() / 1000);

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  otherKey = (await generateKeyPair('ES256')).privateKey;
});

const verifier = () =>
  createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: 'http://unused.invalid/',
    adminClaim: 'astral_admin',
    keys: createLocalJWKSet({ keys: [publicJwk] }),
  });

function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; omitExp?: boolean } = {}) {
  const payload: Record<string, unknown> = {
    sub: 'usr_alice1',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    ...(options.omitExp ? {} : { exp: now() + 600 }),
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(options.key ?? signingKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token verifier', () => {
  it('accepts a valid token and maps sub, name and the admin claim', async () => {
    await expect(verifier()(await token({ name: 'Alice', astral_admin: true }))).resolves.toEqual({
      kind: 'user',
      user_id: 'usr_alice1',
      is_admin: true,
      name: 'Alice',
    });
    await expect(verifier()(await token())).resolves.toEqual({ kind: 'user', user_id: 'usr_alice1', is_admin: false });
  });

  it('treats a non-boolean admin claim as not admin', async () => {
    await expect(verifier()(await token({ astral_admin: 'true' }))).resolves.toMatchObject({ is_admin: false });
  });

  const rejected: [string, () => Promise<string>][] = [
    ['expired', () => token({ exp: now() - 120 })],
    ['without exp', () => token({}, { omitExp: true })],
    ['not yet valid', () => token({ nbf: now() + 600 })],
    ['from another issuer', () => token({ iss: 'https://evil.test/' })],
    ['for another audience', () => token({ aud: 'other-api' })],
    ['signed with another key', () => token({}, { key: otherKey })],
    [
      'without sub',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime(now() + 600)
          .sign(signingKey),
    ],
    ['with a sub that is not a user id', () => token({ sub: 'usr#evil' })],
    [
      'signed with an unlisted algorithm (HS256)',
      () =>
        new SignJWT({ sub: 'usr_alice1' })
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime(now() + 600)
          .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!!')),
    ],
    [
      'with alg none',
      async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'usr_alice1', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.`,
    ],
    ['malformed', async () => 'not.a.jwt'],
  ];

  it.each(rejected)('rejects a token %s', async (_name, make) => {
    await expect(verifier()(await make())).rejects.toThrow();
  });

  it('fetches the issuer JWKS over HTTP and caches it across verifications', async () => {
    let fetches = 0;
    const server: Server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const remote = createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
        adminClaim: 'astral_admin',
      });
      await expect(remote(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
      await expect(remote(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
      expect(fetches).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
