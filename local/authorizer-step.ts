import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { FunctionDefinition } from '../functions/manifest';
import type { AuthorizerBinding, AuthorizerSpec } from '../lib/config/authorizers';
import { authorizerEvent, methodArn, type IncomingRequest, type ProxyAuthorizerContext } from './api-events';
import type { AuthorizerResultCache } from './authorizer-cache';
import { evaluateAuthorizerResult } from './authorizer-result';
import { errorName } from './error-name';
import { gatewayReply, jsonReply, type Reply } from './gateway-reply';
import { ACCESS_DENIED, GATEWAY_ERRORS, GATEWAY_RETRY_AFTER_SECONDS } from './gateway-responses';
import { templateReply } from './gateway-template';
import { invokeFunction, type IntegrationSettings } from './integration';
import type { RouteMatch } from './routes';

/** The authorizer's verdict: the gateway's own reply (401, 403, 500, 503), or the context the integration receives. */
export type AuthorizerVerdict = { readonly reply: Reply } | { readonly context: ProxyAuthorizerContext };

/** One of the stack's authorizer resources: its function, its kind and cache (lib/config/authorizers.ts), and the shared cache. */
export interface AuthorizerStep {
  readonly fn: FunctionDefinition;
  readonly binding: AuthorizerBinding;
  readonly spec: AuthorizerSpec;
  readonly cache: AuthorizerResultCache;
}

/** A header as API Gateway reads an identity source: any spelling of the name; absent or empty is missing. */
function identityValue(request: IncomingRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  const value = Object.entries(request.headers).find(([key]) => key.toLowerCase() === lower)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

/** A TOKEN authorizer is handed the identity source's value and the method ARN, nothing else. */
function eventFor(step: AuthorizerStep, request: IncomingRequest, match: RouteMatch, identity: string | undefined): unknown {
  if (step.spec.type === 'REQUEST') return authorizerEvent(request, match);
  const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', methodArn: methodArn(request), authorizationToken: identity ?? '' };
  return event;
}

/**
 * API Gateway's Lambda authorizer step: a declared identity source missing is UNAUTHORIZED without a
 * call; a cached answer for its value is reused until its TTL passes; otherwise the function runs and
 * its answer is cached. Either way API Gateway's rules then apply to the answer.
 */
export async function authorize(
  step: AuthorizerStep,
  request: IncomingRequest,
  match: RouteMatch,
  settings: IntegrationSettings,
): Promise<AuthorizerVerdict> {
  const started = Date.now();
  const identity = step.spec.identityHeader === undefined ? undefined : identityValue(request, step.spec.identityHeader);
  if (step.spec.identityHeader !== undefined && identity === undefined) return { reply: gatewayReply(GATEWAY_ERRORS.unauthorized) };
  const cached = identity === undefined ? undefined : step.cache.get(step.binding, identity);
  if (cached !== undefined) return verdict(cached, request, started, settings);
  let result: unknown;
  try {
    step.cache.countInvocation();
    result = await invokeFunction(step.fn, eventFor(step, request, match, identity), settings);
  } catch (error) {
    // Only this exact message means "no valid credentials"; API Gateway treats anything else as a failure.
    if (error instanceof Error && error.message === 'Unauthorized') return { reply: gatewayReply(GATEWAY_ERRORS.unauthorized) };
    settings.log(`authorizer failed: ${errorName(error)} (${request.requestId})`);
    return {
      reply: jsonReply(GATEWAY_ERRORS.unavailable.status, GATEWAY_ERRORS.unavailable.body, { 'retry-after': GATEWAY_RETRY_AFTER_SECONDS }),
    };
  }
  const answer = verdict(result, request, started, settings);
  // A policy, Allow or Deny, is cached; an answer API Gateway could not use is not.
  if (identity !== undefined && evaluateAuthorizerResult(result, methodArn(request)).kind !== 'invalid') {
    step.cache.set(step.binding, identity, result, step.spec.ttlSeconds);
  }
  return answer;
}

function verdict(result: unknown, request: IncomingRequest, started: number, settings: IntegrationSettings): AuthorizerVerdict {
  const outcome = evaluateAuthorizerResult(result, methodArn(request));
  if (outcome.kind === 'invalid') {
    settings.log(`authorizer returned an invalid result: ${outcome.reason} (${request.requestId})`);
    return { reply: gatewayReply(GATEWAY_ERRORS.internal) };
  }
  // ACCESS_DENIED: the stack's template turns our authorizer's Deny into a 401 naming the reason.
  if (outcome.kind === 'deny') return { reply: templateReply(ACCESS_DENIED.status, ACCESS_DENIED.template, outcome.context) };
  // Every authorized method requires an API key (apiKeyRequired), taken from the authorizer's usage identifier.
  if (outcome.usageIdentifierKey === undefined) return { reply: gatewayReply(GATEWAY_ERRORS.forbidden) };
  return { context: { ...outcome.context, principalId: outcome.principalId, integrationLatency: Date.now() - started } };
}
