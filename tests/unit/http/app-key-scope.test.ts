import type { APIGatewayProxyResult } from 'aws-lambda';
import { defineContract, httpHandler, ok, orgIdField, z } from '@astral/lib/http';
import { lambdaContext } from '../../../local/lambda-context';
import { ORG_ID, proxyEvent, TEST_CONTRACT } from '../../support/proxy-event';

/**
 * The org scope of app keys in the pipeline (lib/http/app-key-scope.ts), on contracts made for the
 * purpose: the manifest has no app-key route with `{org_id}` today (tests/e2e/app-key-scope.test.ts
 * walks the real ones), so the organization branch is proven here.
 */
const OTHER_ORG = 'org_Zzz9P0xZLAbD0F6kqhfAov';
const orgRoute = defineContract({
  ...TEST_CONTRACT,
  name: 'org-scope-test',
  path: '/organizations/{org_id}/things',
  credentials: ['app', 'user'],
  params: z.strictObject({ org_id: orgIdField }),
});
const openRoute = defineContract({ ...TEST_CONTRACT, name: 'open-test', credentials: ['app'], orgScopedAppKeys: 'allowed' });
const closedRoute = defineContract({ ...TEST_CONTRACT, name: 'closed-test', credentials: ['app'] });

const reached = async () => ok({ reached: true });
const handlers = {
  org: httpHandler(orgRoute, reached),
  open: httpHandler(openRoute, reached),
  closed: httpHandler(closedRoute, reached),
};

async function status(
  handler: keyof typeof handlers,
  authorizer: Record<string, string>,
  pathParameters: Record<string, string> | null = { org_id: ORG_ID },
) {
  const event = proxyEvent({ method: 'GET', resource: '/api/v1/organizations/{org_id}/things', pathParameters, authorizer });
  const result = (await handlers[handler](event, lambdaContext('scope-test', 25_000))) as APIGatewayProxyResult;
  return { status: result.statusCode, code: (JSON.parse(result.body) as { code?: string }).code };
}

const app = (orgId?: string) => ({ kind: 'app', app_id: 'app_importer', ...(orgId ? { org_id: orgId } : {}) });
const user = { kind: 'user', user_id: 'usr_coach', is_admin: 'false' };
const REACHED = { status: 200, code: undefined };
const FORBIDDEN = { status: 403, code: 'forbidden' };

beforeAll(() => {
  process.env.ASTRAL_QUIET = 'true';
});

it('lets a key scoped to the organization in the path through, and refuses a key scoped to another', async () => {
  expect(await status('org', app(ORG_ID))).toEqual(REACHED);
  expect(await status('org', app(OTHER_ORG))).toEqual(FORBIDDEN);
});

it('refuses before judging the path: a scoped key with a malformed org_id is 403, not 400', async () => {
  expect(await status('org', app(OTHER_ORG), { org_id: 'not an id' })).toEqual(FORBIDDEN);
});

it('leaves unscoped keys and user tokens alone', async () => {
  expect(await status('org', app())).toEqual(REACHED);
  expect(await status('org', user)).toEqual(REACHED);
  expect(await status('closed', app())).toEqual(REACHED);
});

it('closes a route without {org_id} to scoped keys unless its contract allows them', async () => {
  expect(await status('closed', app(ORG_ID))).toEqual(FORBIDDEN);
  expect(await status('open', app(ORG_ID))).toEqual(REACHED);
});
