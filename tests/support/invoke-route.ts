import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda-context';
import { proxyEvent } from './proxy-event';

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyResult>;

export interface RouteCall {
  readonly method: string;
  /** The route's resource template under /api/v1, e.g. `/organizations/{org_id}/coaches`. */
  readonly resource: string;
  readonly pathParameters?: Record<string, string>;
  readonly body?: Record<string, unknown>;
  /** What the authorizer handed the route: `{kind: 'user', user_id, is_admin}` or `{kind: 'app', app_id}`. */
  readonly authorizer: Record<string, string>;
}

/**
 * One request through a function's whole handler (contract parsing, authorization, the route, error
 * shaping) as API Gateway would invoke it, against whatever table TABLE_NAME and DYNAMODB_ENDPOINT
 * name: for integration tests that seed the table directly and need the HTTP answer.
 */
export async function invokeRoute(functionName: string, call: RouteCall): Promise<{ status: number; body: Record<string, unknown> }> {
  const { handler } = (await import(`../../functions/${functionName}/handler`)) as { handler: Handler };
  const response = await handler(
    proxyEvent({
      method: call.method,
      resource: `/api/v1${call.resource}`,
      pathParameters: call.pathParameters ?? null,
      headers: call.body ? { 'Content-Type': 'application/json' } : {},
      body: call.body ? JSON.stringify(call.body) : null,
      authorizer: call.authorizer,
    }),
    lambdaContext(functionName, 10_000),
  );
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

/** A signed-in user as the authorizer hands them to a route. */
export const userPrincipal = (userId: string) => ({ kind: 'user', user_id: userId, is_admin: 'false' });

/** The calls several tests make, by whom: `coachId` (a coach or head coach) names `userId`; `userId` answers. */
export const routeCalls = {
  addMember: (orgId: string, userId: string, coachId: string): [string, RouteCall] => [
    'members-add',
    {
      method: 'POST',
      resource: '/organizations/{org_id}/members',
      pathParameters: { org_id: orgId },
      body: { user_id: userId },
      authorizer: userPrincipal(coachId),
    },
  ],
  addCoach: (orgId: string, userId: string, headId: string): [string, RouteCall] => [
    'coaches-add',
    {
      method: 'POST',
      resource: '/organizations/{org_id}/coaches',
      pathParameters: { org_id: orgId },
      body: { user_id: userId, role: 'assistant_coach' },
      authorizer: userPrincipal(headId),
    },
  ],
  answer: (orgId: string, userId: string, consent: 'accepted' | 'declined'): [string, RouteCall] => [
    'memberships-answer',
    {
      method: 'PUT',
      resource: '/users/me/memberships/{org_id}',
      pathParameters: { org_id: orgId },
      body: { consent },
      authorizer: userPrincipal(userId),
    },
  ],
};

/** One of routeCalls through its function's handler. */
export const call = ([functionName, routeCall]: [string, RouteCall]) => invokeRoute(functionName, routeCall);
