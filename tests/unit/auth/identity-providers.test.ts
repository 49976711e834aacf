import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier, parseIdentityProviderRules, type IdentityProviderInput } from '@astral/lib/auth';

// Tokens in the claim shapes each provider issues (ADR 0021), verified against a local JWKS.
const now = () => Math.floor(Date.now() / 1000);
const NAMES = { audiences: 'TOKEN_AUDIENCE', clientIds: 'TOKEN_CLIENT_IDS', adminClaim: 'ADMIN_CLAIM', adminGroup: 'ADMIN_GROUP' };

let signingKey: CryptoKey;
let publicJwk: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});

function verifier(issuer: string, input: IdentityProviderInput) {
  return createTokenVerifier({
    issuer,
    jwksUrl: 'http://unused.invalid/',
    maxTokenAgeSeconds: 3600,
    ...parseIdentityProviderRules(input, NAMES),
    keys: createLocalJWKSet({ keys: [publicJwk] }),
  });
}

function sign(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ iat: now(), exp: now() + 600, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(signingKey);
}

async function outcome(verify: ReturnType<typeof verifier>, claims: Record<string, unknown>) {
  try {
    const user = await verify(await sign(claims));
    return { user_id: user.user_id, is_admin: user.is_admin };
  } catch (error) {
    return { refused: error instanceof Error && 'code' in error ? error.code : String(error) };
  }
}

const COGNITO = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123';
const COGNITO_SUB = '4f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718';

describe('Cognito', () => {
  const verify = () =>
    verifier(COGNITO, {
      audiences: 'web-client',
      clientIds: 'web-client, mobile-client',
      adminClaim: 'cognito:groups',
      adminGroup: 'admin',
    });
  const access = (claims: Record<string, unknown> = {}) => ({
    iss: COGNITO,
    sub: COGNITO_SUB,
    client_id: 'mobile-client',
    token_use: 'access',
    scope: 'openid',
    ...claims,
  });
  const id = (claims: Record<string, unknown> = {}) => ({ iss: COGNITO, sub: COGNITO_SUB, aud: 'web-client', token_use: 'id', ...claims });

  it('accepts an access token (no aud) for a configured client id', async () => {
    expect(await outcome(verify(), access())).toEqual({ user_id: COGNITO_SUB, is_admin: false });
  });
  it('accepts an ID token for a configured audience, and one for a second app client is refused', async () => {
    expect(await outcome(verify(), id())).toEqual({ user_id: COGNITO_SUB, is_admin: false });
    expect(await outcome(verify(), id({ aud: 'mobile-client' }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
  });
  it('accepts ID tokens of several app clients when each is an audience', async () => {
    const both = verifier(COGNITO, { audiences: 'web-client,mobile-client', adminClaim: 'cognito:groups', adminGroup: 'admin' });
    expect(await outcome(both, id({ aud: 'mobile-client' }))).toEqual({ user_id: COGNITO_SUB, is_admin: false });
  });
  it('refuses an access token for another client id', async () => {
    expect(await outcome(verify(), access({ client_id: 'other-client' }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
  });
  it('refuses a token with a configured client_id but token_use id (an ID token must match by aud)', async () => {
    expect(await outcome(verify(), access({ token_use: 'id' }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
    expect(await outcome(verify(), access({ token_use: undefined }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
  });
  it('refuses another user pool (issuer)', async () => {
    expect(await outcome(verify(), access({ iss: `${COGNITO}x` }))).toEqual({ refused: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });
  it('makes an admin of a member of the admin group only', async () => {
    expect(await outcome(verify(), access({ 'cognito:groups': ['coaches', 'admin'] }))).toMatchObject({ is_admin: true });
    expect(await outcome(verify(), id({ 'cognito:groups': ['coaches'] }))).toMatchObject({ is_admin: false });
    // A string, or `true`, is not group membership.
    expect(await outcome(verify(), access({ 'cognito:groups': 'admin' }))).toMatchObject({ is_admin: false });
    expect(await outcome(verify(), access({ 'cognito:groups': true }))).toMatchObject({ is_admin: false });
  });
});

describe('Auth0', () => {
  const ISSUER = 'https://astral.eu.auth0.com/';
  const verify = () =>
    verifier(ISSUER, { audiences: 'https://api.astral.example', adminClaim: 'permissions', adminGroup: 'admin:platform' });
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    sub: 'auth0|64b7f0c2e1d2a3b4c5d6e7f8',
    aud: ['https://api.astral.example', 'https://astral.eu.auth0.com/userinfo'],
    azp: 'spa-client',
    ...extra,
  });

  it('accepts an access token whose aud array names the API, with social-login subjects as issued', async () => {
    expect(await outcome(verify(), claims())).toEqual({ user_id: 'auth0|64b7f0c2e1d2a3b4c5d6e7f8', is_admin: false });
    expect(await outcome(verify(), claims({ sub: 'google-oauth2|110248495921238986420' }))).toMatchObject({
      user_id: 'google-oauth2|110248495921238986420',
    });
  });
  it('refuses a token without aud, and one for another API', async () => {
    expect(await outcome(verify(), claims({ aud: undefined }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
    expect(await outcome(verify(), claims({ aud: 'https://other.example' }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
  });
  it('makes an admin from the permissions array', async () => {
    expect(await outcome(verify(), claims({ permissions: ['read:activities', 'admin:platform'] }))).toMatchObject({ is_admin: true });
    expect(await outcome(verify(), claims({ permissions: ['read:activities'] }))).toMatchObject({ is_admin: false });
  });
  it('refuses a subject carrying `#`, the key separator', async () => {
    expect(await outcome(verify(), claims({ sub: 'auth0|a#b' }))).toEqual({ refused: 'Error: token subject is not a valid user id' });
  });
});

describe('Okta', () => {
  const ISSUER = 'https://astral.okta.com/oauth2/default';
  const verify = () => verifier(ISSUER, { audiences: 'api://astral', adminClaim: 'groups', adminGroup: 'Astral Admins' });
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    sub: '00u1a2b3c4D5e6F7g8h9',
    aud: 'api://astral',
    cid: '0oa1b2c3',
    ...extra,
  });

  it('accepts its access token and reads the groups claim', async () => {
    expect(await outcome(verify(), claims({ groups: ['Everyone', 'Astral Admins'] }))).toEqual({
      user_id: '00u1a2b3c4D5e6F7g8h9',
      is_admin: true,
    });
    expect(await outcome(verify(), claims({ groups: ['Everyone'] }))).toMatchObject({ is_admin: false });
  });
  it('refuses another authorization server', async () => {
    expect(await outcome(verify(), claims({ iss: 'https://astral.okta.com/oauth2/other' }))).toEqual({
      refused: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });
});

describe('Firebase', () => {
  const PROJECT = 'astral-prod';
  const ISSUER = `https://securetoken.google.com/${PROJECT}`;
  const UID = 'Xk3mP9qR2sT5uV8wY1zA4bC7dE0f';
  const verify = () => verifier(ISSUER, { audiences: PROJECT, adminClaim: 'admin' });
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    sub: UID,
    user_id: UID,
    aud: PROJECT,
    auth_time: now(),
    ...extra,
  });

  it('accepts its ID token with a 28-character uid, admin by a boolean custom claim', async () => {
    expect(await outcome(verify(), claims())).toEqual({ user_id: UID, is_admin: false });
    expect(await outcome(verify(), claims({ admin: true }))).toMatchObject({ is_admin: true });
    expect(await outcome(verify(), claims({ admin: 'true' }))).toMatchObject({ is_admin: false });
  });
  it('refuses a token of another project', async () => {
    expect(await outcome(verify(), claims({ aud: 'other-project' }))).toEqual({ refused: 'ERR_TOKEN_AUDIENCE_REFUSED' });
  });
});

describe('parseIdentityProviderRules', () => {
  it('refuses a configuration with neither an audience nor a client id, naming both settings', () => {
    for (const blank of [{}, { audiences: '', clientIds: ' , ' }])
      expect(() => parseIdentityProviderRules({ adminClaim: 'admin', ...blank }, NAMES)).toThrow(
        /set TOKEN_AUDIENCE .* or TOKEN_CLIENT_IDS .*any token of the issuer would be accepted/,
      );
  });
  it('splits lists and picks the admin rule form', () => {
    expect(parseIdentityProviderRules({ audiences: ' a, b ,', adminClaim: 'admin' }, NAMES)).toEqual({
      audiences: ['a', 'b'],
      clientIds: [],
      admin: { kind: 'boolean', claim: 'admin' },
    });
    expect(parseIdentityProviderRules({ clientIds: 'c', adminClaim: 'cognito:groups', adminGroup: 'admin' }, NAMES).admin).toEqual({
      kind: 'group',
      claim: 'cognito:groups',
      group: 'admin',
    });
  });
  it('refuses a blank admin claim', () => {
    expect(() => parseIdentityProviderRules({ audiences: 'a', adminClaim: ' ' }, NAMES)).toThrow('ADMIN_CLAIM must name a claim');
  });
});
