import type { APIGatewayAuthorizerResult, Context, APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { rejectionContext, type CredentialRejection } from '../config/credential-rejections';
// Not '../logging': the authorizer logs only refusals, and loads the logger on the first (lib/logging/lazy.ts).
import { logLazily, noteInvocation } from '../logging/lazy';
import type { AppKeyResolver } from './app-key-resolver';
import { apiWidePolicy } from './policy';
import { toAuthorizerContext, VALID_UNTIL_CONTEXT_KEY, type Principal } from './principal';
import type { TokenVerifier, VerifiedUser } from './token-verifier';

/** The principalId of a Deny: API Gateway requires one, and a refused caller has no identity. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

export interface AuthorizerDependencies {
  readonly verifyToken: TokenVerifier;
  readonly resolveAppKey: AppKeyResolver;
  /** Usage identifier for user tokens (their own usage plan); app keys are metered under themselves. */
  readonly userUsageKey?: string | undefined;
}

/** `cause` is jose's error code for a refused token: logged for operators, never sent. */
type Resolved = { readonly principal: Principal | VerifiedUser } | { readonly rejected: CredentialRejection; readonly cause?: string };

/** TOKEN: the `Authorization` authorizer (cached); REQUEST: the `X-API-Key` one (cached) and the uncached one. */
export type AuthorizerEvent = APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent;

function header(event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

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

async function resolveAppKey(apiKey: string, resolve: AppKeyResolver): Promise<Resolved> {
  const resolution = await resolve(apiKey.trim());
  if (resolution.status === 'active') return { principal: resolution.principal };
  return { rejected: resolution.status === 'revoked' ? 'revoked_app_key' : 'unknown_app_key' };
}

/**
 * API Gateway caches an answer under the identity source's value and reuses it for any request with
 * that value, so the answer must depend on that value alone (ADR 0014). A TOKEN event carries only
 * `Authorization`. A REQUEST event comes from the `X-API-Key` authorizer (keyed on it) or the uncached
 * one, which cannot be told apart, so whenever a key is present the key alone decides, even beside an
 * `Authorization`: the HTTP pipeline answers 401 `both_credentials` to a request carrying both.
 */
async function resolveCredential(event: AuthorizerEvent, deps: AuthorizerDependencies): Promise<Resolved> {
  if (event.type === 'TOKEN') return resolveBearer(event.authorizationToken, deps.verifyToken);
  const apiKey = header(event, 'x-api-key');
  if (apiKey !== undefined) return resolveAppKey(apiKey, deps.resolveAppKey);
  const authorization = header(event, 'authorization');
  if (authorization !== undefined) return resolveBearer(authorization, deps.verifyToken);
  return { rejected: 'missing_credentials' };
}

const requestIdOf = (event: AuthorizerEvent): string | undefined =>
  'requestContext' in event ? event.requestContext?.requestId : undefined;

/**
 * Resolves exactly one credential into a principal. Per-object checks and the credential kind stay in
 * the endpoints, so the policy allows (or denies) the whole API, never one method: API Gateway reuses a
 * cached answer on every route of its authorizer. The principal travels in the context, with a user
 * token's `valid_until`, which the pipeline checks on every request (a cached Allow outlives `exp`).
 *
 * A refused credential is a Deny with the reason in the context, not a thrown 'Unauthorized': API
 * Gateway's UNAUTHORIZED response cannot see anything the authorizer says, while the ACCESS_DENIED
 * response can render `$context.authorizer.*`, and the stack maps it to our 401 with `details`
 * (infra/constructs/astral-api.ts). This authorizer denies for no other reason, so that mapping is honest.
 */
export function createAuthorizer(deps: AuthorizerDependencies) {
  return async (event: AuthorizerEvent, lambdaContext?: Context): Promise<APIGatewayAuthorizerResult> => {
    noteInvocation(lambdaContext);
    const resolved = await resolveCredential(event, deps);
    if ('rejected' in resolved) {
      // The reason code only: never the header values (they are the credentials).
      await logLazily('info', 'credentials rejected', {
        reason: resolved.rejected,
        cause: resolved.cause,
        request_id: requestIdOf(event),
      });
      return {
        principalId: ANONYMOUS_PRINCIPAL,
        policyDocument: apiWidePolicy('Deny', event.methodArn),
        context: rejectionContext(resolved.rejected),
      };
    }
    const { principal } = resolved;
    const context = toAuthorizerContext(principal);
    if ('valid_until' in principal) context[VALID_UNTIL_CONTEXT_KEY] = String(principal.valid_until);
    const result: APIGatewayAuthorizerResult = {
      principalId: principal.kind === 'user' ? principal.user_id : principal.app_id,
      policyDocument: apiWidePolicy('Allow', event.methodArn),
      context,
    };
    // With apiKeySourceType AUTHORIZER, this value is what the usage plans meter and throttle: each
    // app key under itself, every user token under the user-traffic plan's key. Both depend on the
    // cache key alone (the key is the cache key; the user key is a constant), so a cache hit meters right.
    const apiKey = event.type === 'REQUEST' ? header(event, 'x-api-key') : undefined;
    if (principal.kind === 'app' && apiKey !== undefined) result.usageIdentifierKey = apiKey.trim();
    else if (principal.kind === 'user' && deps.userUsageKey !== undefined) result.usageIdentifierKey = deps.userUsageKey;
    return result;
  };
}
