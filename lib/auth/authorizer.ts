import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { rejectionContext, type CredentialRejection } from '../config/credential-rejections';
import { log } from '../logging';
import type { AppKeyResolver } from './app-key-resolver';
import { toAuthorizerContext, type Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

/** The principalId of a Deny: API Gateway requires one, and a refused caller has no identity. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

export interface AuthorizerDependencies {
  readonly verifyToken: TokenVerifier;
  readonly resolveAppKey: AppKeyResolver;
  /** Usage identifier for user tokens (their own usage plan); app keys are metered under themselves. */
  readonly userUsageKey?: string | undefined;
}

/** `cause` is jose's error code for a refused token: logged for operators, never sent. */
type Resolved = { readonly principal: Principal } | { readonly rejected: CredentialRejection; readonly cause?: string };

function header(event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

const policy = (effect: 'Allow' | 'Deny', methodArn: string): APIGatewayAuthorizerResult['policyDocument'] => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
});

/** jose names an expired token ERR_JWT_EXPIRED; every other verification failure is an invalid token. */
function tokenRejection(error: unknown): Resolved {
  const cause = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { rejected: cause === 'ERR_JWT_EXPIRED' ? 'token_expired' : 'invalid_token', ...(cause ? { cause } : {}) };
}

async function resolveBearer(authorization: string, verifyToken: TokenVerifier): Promise<Resolved> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
  if (!match?.[1]) return { rejected: 'malformed_authorization' };
  try {
    return { principal: await verifyToken(match[1]) };
  } catch (error) {
    return tokenRejection(error);
  }
}

async function resolveCredential(event: APIGatewayRequestAuthorizerEvent, deps: AuthorizerDependencies): Promise<Resolved> {
  const apiKey = header(event, 'x-api-key');
  const authorization = header(event, 'authorization');
  if (apiKey !== undefined && authorization !== undefined) return { rejected: 'both_credentials' };
  if (authorization !== undefined) return resolveBearer(authorization, deps.verifyToken);
  if (apiKey === undefined) return { rejected: 'missing_credentials' };
  const resolution = await deps.resolveAppKey(apiKey.trim());
  if (resolution.status === 'active') return { principal: resolution.principal };
  return { rejected: resolution.status === 'revoked' ? 'revoked_app_key' : 'unknown_app_key' };
}

/**
 * Resolves exactly one credential into a principal. Per-object checks stay in the endpoints, so the
 * policy allows the method and the principal travels in the context.
 *
 * A refused credential is a Deny with the reason in the context, not a thrown 'Unauthorized': API
 * Gateway's UNAUTHORIZED response cannot see anything the authorizer says, while the ACCESS_DENIED
 * response can render `$context.authorizer.*`, and the stack maps it to our 401 with `details`
 * (infra/constructs/astral-api.ts). This authorizer denies for no other reason, so that mapping is honest.
 */
export function createAuthorizer(deps: AuthorizerDependencies) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const resolved = await resolveCredential(event, deps);
    if ('rejected' in resolved) {
      // The reason code only: never the header values (they are the credentials).
      log('info', 'credentials rejected', {
        reason: resolved.rejected,
        cause: resolved.cause,
        request_id: event.requestContext?.requestId,
      });
      return {
        principalId: ANONYMOUS_PRINCIPAL,
        policyDocument: policy('Deny', event.methodArn),
        context: rejectionContext(resolved.rejected),
      };
    }
    const { principal } = resolved;
    const result: APIGatewayAuthorizerResult = {
      principalId: principal.kind === 'user' ? principal.user_id : principal.app_id,
      policyDocument: policy('Allow', event.methodArn),
      context: toAuthorizerContext(principal),
    };
    // With apiKeySourceType AUTHORIZER, this value is what the usage plans meter and throttle: each
    // app key under itself, every user token under the user-traffic plan's key.
    const apiKey = header(event, 'x-api-key');
    if (principal.kind === 'app' && apiKey !== undefined) result.usageIdentifierKey = apiKey.trim();
    else if (principal.kind === 'user' && deps.userUsageKey !== undefined) result.usageIdentifierKey = deps.userUsageKey;
    return result;
  };
}
