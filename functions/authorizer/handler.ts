import {
  AppKeyRepository,
  createAppKeyResolver,
  createAuthorizer,
  createTokenVerifier,
  parseIdentityProviderRules,
} from '@astral/lib/auth';
import { DEFAULT_TOKEN_MAX_AGE_SECONDS, ENV, optionalEnv, requireEnv, secondsEnv } from '@astral/lib/config';
import { documentClient, tableName } from '@astral/lib/db';

// Module scope: the JWKS cache and the app-key cache live as long as the warm container.
export const handle = createAuthorizer({
  verifyToken: createTokenVerifier({
    issuer: requireEnv(ENV.tokenIssuer),
    // Fails at load, naming the variables, when neither an audience nor a client id is set (ADR 0021).
    ...parseIdentityProviderRules(
      {
        audiences: optionalEnv(ENV.tokenAudience),
        clientIds: optionalEnv(ENV.tokenClientIds),
        adminClaim: requireEnv(ENV.adminClaim),
        adminGroup: optionalEnv(ENV.adminGroup),
      },
      { audiences: ENV.tokenAudience, clientIds: ENV.tokenClientIds, adminClaim: ENV.adminClaim, adminGroup: ENV.adminGroup },
    ),
    jwksUrl: requireEnv(ENV.jwksUrl),
    maxTokenAgeSeconds: secondsEnv(ENV.tokenMaxAgeSeconds, DEFAULT_TOKEN_MAX_AGE_SECONDS),
    expectedType: optionalEnv(ENV.tokenType),
  }),
  resolveAppKey: createAppKeyResolver(new AppKeyRepository(documentClient(), tableName())),
  userUsageKey: optionalEnv(ENV.userUsageKey),
});

export const handler = handle;
