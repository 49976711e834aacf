import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier, JWKS_CACHE_MAX_AGE_MS } from '@astral/lib/auth';

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

const DAY = 24 * 60 * 60;

const verifier = (options: { expectedType?: string } = {}) =>
  createTokenVerifier({
    issuer: ISSUER,
    audiences: [AUDIENCE],
    clientIds: [],
    jwksUrl: 'http://unused.invalid/',
    admin: { kind: 'boolean', claim: 'astral_admin' },
    maxTokenAgeSeconds: DAY,
    ...options,
    keys: createLocalJWKSet({ keys: [publicJwk] }),
  });

function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; omitExp?: boolean; typ?: string } = {}) {
  const payload: Record<string, unknown> = {
    sub: 'usr_alice1',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    ...(options.omitExp ? {} : { exp: now() + 600 }),
    ...claims,
  };
  for (const [key, value] of Object.entries(payload)) if (value === undefined) delete payload[key];
  const header = { alg: 'ES256', kid: 'k1', ...(options.typ !== undefined ? { typ: options.typ } : {}) };
  return new SignJWT(payload).setProtectedHeader(header).sign(options.key ?? signingKey);
}

/** jose's error code for a refused token: the authorizer maps ERR_JWT_EXPIRED to token_expired, the rest to invalid_token. */
async function refusal(verify: ReturnType<typeof verifier>, jwt: string): Promise<string | undefined> {
  try {
    await verify(jwt);
  } catch (error) {
    return error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? error.code
      : error instanceof Error
        ? error.message
        : 'thrown';
  }
  return undefined;
}

const YEAR_3000 = Math.floor(Date.UTC(3000, 0, 1) / 1000);

describe('token age and type (issue 13)', () => {
  it('accepts a token issued just within the maximum age', async () => {
    await expect(verifier()(await token({ iat: now() - DAY + 60 }))).resolves.toMatchObject({ user_id: 'usr_alice1' });
  });

  it('refuses a token older than the maximum age, even with exp in the year 3000, as expired', async () => {
    expect(await refusal(verifier(), await token({ iat: now() - DAY - 120, exp: YEAR_3000 }))).toBe('ERR_JWT_EXPIRED');
  });

  it('refuses a token without iat as invalid (not expired)', async () => {
    expect(await refusal(verifier(), await token({ iat: undefined, exp: YEAR_3000 }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('refuses a token issued in the future as invalid', async () => {
    expect(await refusal(verifier(), await token({ iat: now() + 3600, exp: now() + 7200 }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('checks typ only when the configuration names one', async () => {
    await expect(verifier()(await token({}, { typ: 'something' }))).resolves.toMatchObject({ user_id: 'usr_alice1' });
    await expect(verifier()(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
    const atJwt = verifier({ expectedType: 'at+jwt' });
    await expect(atJwt(await token({}, { typ: 'at+jwt' }))).resolves.toMatchObject({ user_id: 'usr_alice1' });
    await expect(atJwt(await token({}, { typ: 'application/at+jwt' }))).resolves.toMatchObject({ user_id: 'usr_alice1' });
    expect(await refusal(atJwt, await token({}, { typ: 'JWT' }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refusal(atJwt, await token())).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token verifier', () => {
  it('accepts a valid token and maps sub, name and the admin claim', async () => {
    const iat = now();
    await expect(verifier()(await token({ name: 'Alice', astral_admin: true, iat, exp: iat + 600 }))).resolves.toEqual({
      kind: 'user',
      user_id: 'usr_alice1',
      is_admin: true,
      name: 'Alice',
      valid_until: iat + 600 + 30,
    });
    await expect(verifier()(await token({ iat, exp: iat + 600 }))).resolves.toEqual({
      kind: 'user',
      user_id: 'usr_alice1',
      is_admin: false,
      valid_until: iat + 600 + 30,
    });
  });

  // ADR 0014: a cached Allow is held to this second by the pipeline, so it must be the second jose stops accepting.
  it('states valid_until as the earlier of exp and iat + the maximum age, plus the 30 s clock tolerance jose allows', async () => {
    const iat = now() - DAY + 100;
    await expect(verifier()(await token({ iat, exp: iat + 2 * DAY }))).resolves.toMatchObject({ valid_until: iat + DAY + 30 });
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
        audiences: [AUDIENCE],
        clientIds: [],
        jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
        admin: { kind: 'boolean', claim: 'astral_admin' },
        maxTokenAgeSeconds: DAY,
      });
      await expect(remote(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
      await expect(remote(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
      expect(fetches).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refetches the JWKS on an unknown kid (after the cooldown) and at most 5 minutes after the last fetch', async () => {
    const rotated = await generateKeyPair('ES256');
    const rotatedJwk = { ...(await exportJWK(rotated.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' };
    let published: JWK[] = [publicJwk];
    let fetches = 0;
    const server: Server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // jose reads Date.now() for its cache age and cooldown (claims use `new Date()`): move it instead of waiting.
    // Tokens are signed before the clock moves: jose checks their claims against the real time.
    const byK1 = await token();
    const byK2 = await new SignJWT({ sub: 'usr_alice1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .sign(rotated.privateKey);
    let clock = Date.now();
    const nowSpy = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const { port } = server.address() as AddressInfo;
      const remote = createTokenVerifier({
        issuer: ISSUER,
        audiences: [AUDIENCE],
        clientIds: [],
        jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
        admin: { kind: 'boolean', claim: 'astral_admin' },
        maxTokenAgeSeconds: DAY,
      });
      await expect(remote(await token())).resolves.toMatchObject({ user_id: 'usr_alice1' });
      expect(fetches).toBe(1);
      // The issuer rotates: k1 is gone, k2 is new.
      published = [rotatedJwk];
      clock += 31_000;
      await expect(remote(byK2)).resolves.toMatchObject({ user_id: 'usr_alice1' });
      expect(fetches).toBe(2);
      // Five minutes on, the cached set is stale: the next token refetches, and the rotated-out k1 fails.
      clock += JWKS_CACHE_MAX_AGE_MS + 1_000;
      await expect(remote(byK1)).rejects.toThrow();
      expect(fetches).toBe(3);
      expect(JWKS_CACHE_MAX_AGE_MS).toBeLessThanOrEqual(5 * 60_000);
    } finally {
      nowSpy.mockRestore();
      // fetch keeps its connection alive: close it, or the server waits out its keep-alive timeout.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
