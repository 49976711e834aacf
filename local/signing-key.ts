import { existsSync, readFileSync } from 'node:fs';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { writeFileOnce } from './write-once';
import { localDataPath } from './paths';

/** What the local stack's authorizer is configured to trust (TOKEN_ISSUER, TOKEN_AUDIENCE, ADMIN_CLAIM). */
export const LOCAL_TOKEN_ISSUER = 'astral-local';
export const LOCAL_TOKEN_AUDIENCE = 'astral-api';
export const LOCAL_ADMIN_CLAIM = 'astral_admin';
const ALG = 'ES256';
const TOKEN_LIFETIME = '12h';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** A fresh key that lives only in memory: tests use one per stack, so nothing touches the disk. */
export async function generateSigningKey(): Promise<SigningKey> {
  return fromStored(await newStoredKey());
}

async function newStoredKey(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { kid: await calculateJwkThumbprint(publicJwk), privateJwk: await exportJWK(privateKey), publicJwk };
}

async function fromStored(stored: StoredKey): Promise<SigningKey> {
  const privateKey = await importJWK(stored.privateJwk, ALG);
  if (privateKey instanceof Uint8Array) throw new Error('signing key is not an EC key');
  return { kid: stored.kid, privateKey, publicJwk: stored.publicJwk };
}

export const signingKeyPath = (): string => localDataPath('signing-key.json');

/**
 * The key `npm start` trusts and `npm run token` signs with. Two processes may create it at the
 * same moment, so it is written to a private temp file and hard-linked into place: exactly one wins
 * and both then read the winner.
 */
export async function loadOrCreateSigningKey(path: string = signingKeyPath()): Promise<SigningKey> {
  if (!existsSync(path)) {
    const stored = await newStoredKey();
    writeFileOnce(path, () => `${JSON.stringify(stored, null, 2)}\n`);
  }
  return fromStored(JSON.parse(readFileSync(path, 'utf8')) as StoredKey);
}

/** The JWKS the local gateway serves at /.well-known/jwks.json. */
export function publicJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [{ ...key.publicJwk, kid: key.kid, alg: ALG, use: 'sig' }] };
}

export interface LocalTokenOptions {
  readonly admin?: boolean;
  readonly name?: string;
}

/** A bearer token shaped like the production issuer's: `sub` is the user id. */
export async function signLocalToken(key: SigningKey, userId: string, options: LocalTokenOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (options.name !== undefined) claims.name = options.name;
  if (options.admin) claims[LOCAL_ADMIN_CLAIM] = true;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(LOCAL_TOKEN_ISSUER)
    .setAudience(LOCAL_TOKEN_AUDIENCE)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(TOKEN_LIFETIME)
    .sign(key.privateKey);
}
