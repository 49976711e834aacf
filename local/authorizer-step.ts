import type { FunctionDefinition } from '../functions/manifest';
import { authorizerEvent, methodArn, type IncomingRequest, type ProxyAuthorizerContext } from './api-events';
import { evaluateAuthorizerResult } from './authorizer-result';
import { errorName } from './error-name';
import { gatewayReply, jsonReply, type Reply } from './gateway-reply';
import { ACCESS_DENIED, GATEWAY_ERRORS, GATEWAY_RETRY_AFTER_SECONDS } from './gateway-responses';
import { templateReply } from './gateway-template';
import { invokeFunction, type IntegrationSettings } from './integration';
import type { RouteMatch } from './routes';

/** The authorizer's verdict: the gateway's own reply (401, 403, 500, 503), or the context the integration receives. */
export type AuthorizerVerdict = { readonly reply: Reply } | { readonly context: ProxyAuthorizerContext };

/** API Gateway's REQUEST authorizer step: run the authorizer, then apply API Gateway's rules to its answer. */
export async function authorize(
  authorizer: FunctionDefinition,
  request: IncomingRequest,
  match: RouteMatch,
  settings: IntegrationSettings,
): Promise<AuthorizerVerdict> {
  const started = Date.now();
  let result: unknown;
  try {
    result = await invokeFunction(authorizer, authorizerEvent(request, match), settings);
  } catch (error) {
    // Only this exact message means "no valid credentials"; API Gateway treats anything else as a failure.
    if (error instanceof Error && error.message === 'Unauthorized') return { reply: gatewayReply(GATEWAY_ERRORS.unauthorized) };
    settings.log(`authorizer failed: ${errorName(error)} (${request.requestId})`);
    return {
      reply: jsonReply(GATEWAY_ERRORS.unavailable.status, GATEWAY_ERRORS.unavailable.body, { 'retry-after': GATEWAY_RETRY_AFTER_SECONDS }),
    };
  }
  return verdict(result, request, started, settings);
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
