import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { log } from '../logging';
import type { AppKeyResolver } from './app-key-resolver';
import { toAuthorizerContext, type Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

/** API Gateway answers 401 only for this exact error message; anything else it treats as a 500. */
export const UNAUTHORIZED = 'Unauthorized';

export interface AuthorizerDependencies {
  readonly verifyToken: TokenVerifier;
  readonly resolveAppKey: AppKeyResolver;
  /** Usage identifier for user tokens (their own usage plan); app keys are metered under themselves. */
  readonly userUsageKey?: string | undefined;
}

function header(event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function deny(reason: string, requestId: string | undefined): never {
  log('info', 'credentials rejected', { reason, request_id: requestId });
  throw new Error(UNAUTHORIZED);
}

/**
 * Resolves exactly one credential into a principal. Per-object checks stay in the endpoints, so the
 * policy allows the method and the principal travels in the context.
 */
export function createAuthorizer({ verifyToken, resolveAppKey, userUsageKey }: AuthorizerDependencies) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const requestId = event.requestContext?.requestId;
    const apiKey = header(event, 'x-api-key');
    const authorization = header(event, 'authorization');
    if (apiKey !== undefined && authorization !== undefined) deny('both_credentials', requestId);

    let principal: Principal | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
      if (!match?.[1]) deny('malformed_authorization', requestId);
      try {
        principal = await verifyToken(match[1]);
      } catch (error) {
        deny(error instanceof Error && 'code' in error ? String(error.code) : 'invalid_token', requestId);
      }
    } else if (apiKey !== undefined) {
      principal = await resolveAppKey(apiKey.trim());
      if (!principal) deny('unknown_app_key', requestId);
    } else {
      deny('no_credentials', requestId);
    }

    const result: APIGatewayAuthorizerResult = {
      principalId: principal.kind === 'user' ? principal.user_id : principal.app_id,
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
      context: toAuthorizerContext(principal),
    };
    // With apiKeySourceType AUTHORIZER, this value is what the usage plans meter and throttle: each
    // app key under itself, every user token under the user-traffic plan's key.
    if (principal.kind === 'app' && apiKey !== undefined) result.usageIdentifierKey = apiKey.trim();
    else if (principal.kind === 'user' && userUsageKey !== undefined) result.usageIdentifierKey = userUsageKey;
    return result;
  };
}
