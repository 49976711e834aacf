import type { JWTVerifyGetKey } from 'jose';
import { USER_ID_PATTERN } from '../ids';
import { isAdmin, matchesAudience, type IdentityProviderRules } from '../config/identity-provider';
import type { UserPrincipal } from './principal';

/** Audiences, client ids and the admin rule come from `parseIdentityProviderRules` (ADR 0021). */
export interface TokenVerifierConfig extends IdentityProviderRules {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The oldest a token may be by its (required) `iat`, whatever its `exp` says. */
  readonly maxTokenAgeSeconds: number;
  /** When set, the `typ` header every token must carry (jose compares it as RFC 8725 says: `application/` optional, any case). */
  readonly expectedType?: string | undefined;
  /** Tests and the local stack may hand in keys directly; production fetches the issuer's JWKS. */
  readonly keys?: JWTVerifyGetKey;
}

/** Asymmetric algorithms only: an HMAC or `none` token can never be accepted, whatever its header says. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;
const CLOCK_TOLERANCE_SECONDS = 30;

/** `valid_until`: epoch seconds after which jose would refuse the token (exp or maximum age, tolerance included). */
export type VerifiedUser = UserPrincipal & { readonly valid_until?: number };

export type TokenVerifier = (token: string) => Promise<VerifiedUser>;

/** Carries a jose-style `code` (not one of jose's: tests find jose in bundles by its codes), so the authorizer logs it and answers invalid_token. */
class AudienceRefused extends Error {
  readonly code = 'ERR_TOKEN_AUDIENCE_REFUSED';
}

/** The second jose starts refusing the token: `exp` or `iat` + maximum age, whichever is first, plus the tolerance it allows. */
function validUntil(exp: number, iat: number, maxTokenAgeSeconds: number): number {
  return Math.min(exp, iat + maxTokenAgeSeconds) + CLOCK_TOLERANCE_SECONDS;
}

let jose: Promise<typeof import('./jose-verifier')> | undefined;
/** One load per container (see jose-verifier.ts). */
const loadJose = (): Promise<typeof import('./jose-verifier')> => (jose ??= import('./jose-verifier'));

/**
 * At most 5 minutes: a signing key the issuer rotated out stops working within that (issue 13). An
 * unknown `kid` refetches sooner, at most once per cooldown, so a newly published key works at once.
 */
export const JWKS_CACHE_MAX_AGE_MS = 5 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;

/**
 * jose checks `exp` only when present, so `exp`, `iat` and `sub` are required claims; `nbf` and `iss`
 * are checked against the configuration, `aud`/`client_id` by matchesAudience, `iat` against the maximum age (a token older than that
 * is ERR_JWT_EXPIRED, so `token_expired`; one without `iat` is `invalid_token`), and `typ` when the
 * configuration names one. The JWKS is cached per container and refetched on an unknown `kid`.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  // jose, and the remote JWKS client that makes Node load its whole fetch implementation, are loaded
  // on the first bearer token, not at module load: a cold start serving app keys never needs them.
  let keys = config.keys;
  const jwksUrl = new URL(config.jwksUrl); // a bad URL still fails at load, not on the first request
  return async (token) => {
    const { createRemoteJWKSet, jwtVerify } = await loadJose();
    keys ??= createRemoteJWKSet(jwksUrl, {
      cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      timeoutDuration: 3_000,
    });
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      // The audience is checked below: a Cognito access token has no `aud`, only `client_id`.
      algorithms: [...ACCEPTED_ALGORITHMS],
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: config.maxTokenAgeSeconds,
      ...(config.expectedType !== undefined ? { typ: config.expectedType } : {}),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (!matchesAudience(payload, config)) throw new AudienceRefused('token is for neither an accepted audience nor an accepted client id');
    const sub = payload.sub;
    if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub)) throw new Error('token subject is not a valid user id');
    const name = typeof payload.name === 'string' && payload.name.trim() !== '' ? payload.name.trim().slice(0, 100) : undefined;
    // jose has checked that both are present (requiredClaims) and numeric.
    const valid_until = validUntil(Number(payload.exp), Number(payload.iat), config.maxTokenAgeSeconds);
    return { kind: 'user', user_id: sub, is_admin: isAdmin(payload, config.admin), ...(name ? { name } : {}), valid_until };
  };
}
