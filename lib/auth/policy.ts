import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/**
 * `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}` → `…:{api}/{stage}/*\/*`.
 * API Gateway caches an authorizer's policy under the identity source and evaluates it against every
 * later method that authorizer fronts, so a policy naming one method would deny the next route from
 * the cache. Which kind of credential a route takes is the endpoint's check (lib/http/pipeline.ts).
 */
export function apiWideResource(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  // Not an execute-api method ARN (never from API Gateway): name it as given rather than guess wider.
  if (!api?.startsWith('arn:') || !stage) return methodArn;
  return `${api}/${stage}/*/*`;
}

export const apiWidePolicy = (effect: 'Allow' | 'Deny', methodArn: string): APIGatewayAuthorizerResult['policyDocument'] => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: apiWideResource(methodArn) }],
});
