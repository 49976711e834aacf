import type { Reply } from './gateway-reply';

/**
 * What API Gateway does with a gateway-response template: no VTL, only simple substitution of
 * `$context` variables (AWS: x-amazon-apigateway-gateway-responses.responseTemplates). Here only
 * `$context.authorizer.<key>` is substituted, verbatim (no JSON escaping, as API Gateway does), and a key
 * the authorizer did not return renders as nothing.
 */
export function renderGatewayTemplate(template: string, authorizerContext: Record<string, string>): string {
  return template.replace(/\$context\.authorizer\.([A-Za-z0-9_]+)/g, (_match, key: string) => authorizerContext[key] ?? '');
}

/** The gateway response a template renders to, sent as API Gateway sends it (JSON, the rendered bytes). */
export function templateReply(status: number, template: string, authorizerContext: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(renderGatewayTemplate(template, authorizerContext)),
  };
}
