import { AppKeyRepository, createAppKeyResolver, createAuthorizer, createTokenVerifier } from '@astral/lib/auth';
import { DEFAULT_TOKEN_MAX_AGE_SECONDS, ENV, optionalEnv, requireEnv, secondsEnv } from '@astral/lib/config';
import { documentClient, tableName } from '@astral/lib/db';

// Module scope: the JWKS cache and the app-key cache live as long as the warm container.
export const handle = createAuthorizer({
  verifyToken: createTokenVerifier({
    issuer: requireEnv(ENV.tokenIssuer),
    audience: requireEnv(ENV.tokenAudience),
    jwksUrl: requireEnv(ENV.jwksUrl),
    adminClaim: requireEnv(ENV.adminClaim),
    maxTokenAgeSeconds: secondsEnv(ENV.tokenMaxAgeSeconds, DEFAULT_TOKEN_MAX_AGE_SECONDS),
    expectedType: optionalEnv(ENV.tokenType),
  }),
  resolveAppKey: createAppKeyResolver(new AppKeyRepository(documentClient(), tableName())),
  userUsageKey: optionalEnv(ENV.userUsageKey),
});

export const handler = handle;
