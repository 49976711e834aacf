import { proxyEvent, type IncomingRequest, type ProxyAuthorizerContext } from './api-events';
import { errorName } from './error-name';
import { gatewayReply, proxyResultReply, type Reply } from './gateway-reply';
import { GATEWAY_ERRORS } from './gateway-responses';
import { IntegrationTimeout, invokeFunction, type IntegrationSettings } from './integration';
import type { RouteMatch } from './routes';

/** The Lambda proxy integration: the route's handler gets the proxy event; its result, or our 500/504, is the reply. */
export async function integrate(
  request: IncomingRequest,
  match: RouteMatch,
  body: string | null,
  context: ProxyAuthorizerContext | null,
  settings: IntegrationSettings,
): Promise<Reply> {
  try {
    const result = await invokeFunction(match.route, proxyEvent(request, match, body, context), settings);
    const reply = proxyResultReply(result);
    if (reply) return reply;
    settings.log(`${match.route.name} returned a malformed proxy response (${request.requestId})`);
  } catch (error) {
    if (error instanceof IntegrationTimeout) return gatewayReply(GATEWAY_ERRORS.timeout);
    // The name only: messages and stacks can carry data, and never reach the client either.
    settings.log(`${match.route.name} failed: ${errorName(error)} (${request.requestId})`);
  }
  return gatewayReply(GATEWAY_ERRORS.internal);
}
