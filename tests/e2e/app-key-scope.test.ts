import { ROUTES, type RouteDefinition } from '../../functions/manifest';
import { bearer } from '../support/http';
import { createUser } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * An app key issued for one organization acts only on it (issue 13; lib/http/app-key-scope.ts), on
 * every app-key route of the manifest, walked here so that a new route cannot forget it: a key scoped
 * to another organization is 403 `forbidden` on routes of an organization and on routes that do not
 * declare `orgScopedAppKeys: 'allowed'`; where they do, it is answered exactly as an unscoped key is.
 */
let stack: TestStack;
let unscoped: string;
let scopedToOther: string;
let scopedToOwn: string;
const ids: Record<string, string> = {};

const APP_ROUTES = ROUTES.filter((route) => route.credentials.includes('app'));

function pathOf(route: RouteDefinition, orgId: string): string {
  return route.path
    .replace('{org_id}', orgId)
    .replace('{user_id}', ids.user ?? '')
    .replace('{activity_id}', ids.activity ?? '')
    .replace(/\{[a-z_]+\}/g, 'unknown_0000000000000000');
}

async function call(route: RouteDefinition, key: string, orgId = ids.org ?? '') {
  const body = route.method === 'POST' || route.method === 'PUT' ? (route.contract.examples?.body ?? {}) : undefined;
  const headers = { headers: { 'X-API-Key': key } };
  const path = pathOf(route, orgId);
  switch (route.method) {
    case 'GET':
      return stack.http.get(path, headers);
    case 'POST':
      return stack.http.post(path, body, headers);
    case 'PUT':
      return stack.http.put(path, body, headers);
    case 'DELETE':
      return stack.http.delete(path, headers);
  }
}

const FORBIDDEN = { code: 'forbidden', message: 'this app key may act only on its own organization' };
/** Whether an org-scoped key may call the route at all (for its own organization, where the path names one). */
const openToScopedKeys = (route: RouteDefinition) => route.path.includes('{org_id}') || route.contract.orgScopedAppKeys === 'allowed';

beforeAll(async () => {
  stack = await startTestStack();
  unscoped = await stack.appKey('unscoped importer');
  ids.user = await createUser(stack, unscoped, 'Scoped Sam');
  const orgs: string[] = [];
  for (const name of ['Own Club', 'Other Club']) {
    const created = await stack.http.post<{ organization: { org_id: string } }>(
      '/api/v1/organizations',
      { name, head_coach_user_id: ids.user },
      { headers: { 'X-API-Key': unscoped } },
    );
    orgs.push(created.body?.organization.org_id ?? '');
  }
  ids.org = orgs[0] ?? '';
  ids.other = orgs[1] ?? '';
  scopedToOwn = await stack.appKey('own club importer', { orgId: ids.org ?? '' });
  scopedToOther = await stack.appKey('other club importer', { orgId: ids.other ?? '' });
  const activity = await stack.http.post<{ activity: { activity_id: string } }>(
    `/api/v1/users/${ids.user}/activities`,
    { type: 'run', name: 'Easy', start_time: new Date().toISOString(), distance_m: 5000, moving_time_s: 1500, elapsed_time_s: 1560 },
    { headers: bearer(await stack.token(ids.user ?? '')) },
  );
  ids.activity = activity.body?.activity.activity_id ?? '';
});

afterAll(async () => {
  await stack?.stop();
});

it('walks every app-key route of the manifest, and some are closed to org-scoped keys', () => {
  expect(APP_ROUTES.length).toBeGreaterThanOrEqual(5);
  expect(APP_ROUTES.filter((route) => !openToScopedKeys(route)).map((route) => route.name)).toContain('organizations-create');
});

describe.each(APP_ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
  it('answers a key scoped to another organization as the scope says', async () => {
    const scoped = await call(route, scopedToOther);
    if (route.path.includes('{org_id}') || route.contract.orgScopedAppKeys !== 'allowed') {
      expect({ status: scoped.status, body: scoped.body }).toEqual({ status: 403, body: FORBIDDEN });
    } else {
      // Open to scoped keys: answered exactly as an unscoped key is (same status), never the scope's 403.
      const reference = await call(route, unscoped);
      expect(scoped.status).toBe(reference.status);
      expect(scoped.body).not.toEqual(FORBIDDEN);
    }
  });

  it('answers an unscoped key, and a key scoped to the organization in the path, without the scope 403', async () => {
    const plain = await call(route, unscoped);
    expect(plain.body).not.toEqual(FORBIDDEN);
    if (route.path.includes('{org_id}')) {
      const own = await call(route, scopedToOwn);
      expect(own.status).toBe(plain.status);
    }
  });
});

it('lets an org-scoped key register a user and read public views, but not create an organization', async () => {
  const user = await stack.http.post('/api/v1/users', { display_name: 'Imported Ida' }, { headers: { 'X-API-Key': scopedToOwn } });
  expect(user.status).toBe(201);
  const profile = await stack.http.get(`/api/v1/users/${ids.user}`, { headers: { 'X-API-Key': scopedToOwn } });
  expect(profile.status).toBe(200);
  const org = await stack.http.post(
    '/api/v1/organizations',
    { name: 'Sneaky Club', head_coach_user_id: ids.user },
    { headers: { 'X-API-Key': scopedToOwn } },
  );
  expect({ status: org.status, body: org.body }).toEqual({ status: 403, body: FORBIDDEN });
});
