import type { JWTVerifyGetKey } from 'jose';
import { USER_ID_PATTERN } from '../ids';
import type { UserPrincipal } from './principal';

export interface TokenVerifierConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** Claim that marks a platform admin when it is `true`. */
  readonly adminClaim: string;
  /** Tests and the local stack may hand in keys directly; production fetches the issuer's JWKS. */
  readonly keys?: JWTVerifyGetKey;
}

/** Asymmetric algorithms only: an HMAC or `none` token can never be accepted, whatever its header says. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;
const CLOCK_TOLERANCE_SECONDS = 30;

export type TokenVerifier = (token: string) => Promise<UserPrincipal>;

let jose: Promise<typeof import('./jose-verifier')> | undefined;
/** One load per container (see jose-verifier.ts). */
const loadJose = (): Promise<typeof import('./jose-verifier')> => (jose ??= import('./jose-verifier'));

/**
 * jose checks `exp` only when present, so `exp` (and `sub`) are required claims; `nbf`, `iss` and
 * `aud` are checked against the configuration. The JWKS is cached per container and refetched on an
 * unknown `kid` (key rotation), at most once per cooldown.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  // jose, and the remote JWKS client that makes Node load its whole fetch implementation, are loaded
  // on the first bearer token, not at module load: a cold start serving app keys never needs them.
  let keys = config.keys;
  const jwksUrl = new URL(config.jwksUrl); // a bad URL still fails at load, not on the first request
  return async (token) => {
    const { createRemoteJWKSet, jwtVerify } = await loadJose();
    keys ??= createRemoteJWKSet(jwksUrl, { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 3_000 });
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: [...ACCEPTED_ALGORITHMS],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const sub = payload.sub;
    if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub)) throw new Error('token subject is not a valid user id');
    const name = typeof payload.name === 'string' && payload.name.trim() !== '' ? payload.name.trim().slice(0, 100) : undefined;
    return { kind: 'user', user_id: sub, is_admin: payload[config.adminClaim] === true, ...(name ? { name } : {}) };
  };
}
