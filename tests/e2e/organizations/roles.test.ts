import { apiKey, bearer } from '../../support/http';
import { accept, createUser } from '../../support/org-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

/**
 * Role × endpoint over HTTP: every organization endpoint, called by each kind of caller, answers the
 * status the permission matrix gives. Allowed calls act on fresh resources prepared by the head coach,
 * so every row really succeeds (and a refused one really changed nothing it could have).
 */
type Role = 'anonymous' | 'outsider' | 'athlete' | 'assistant' | 'head' | 'admin' | 'app';
const ROLES: readonly Role[] = ['anonymous', 'outsider', 'athlete', 'assistant', 'head', 'admin', 'app'];

let stack: TestStack;
let appKey: string;
let orgId: string;
let otherOrgId: string;
let otherGroupId: string;
let otherMember: string;
const users: Record<string, string> = {};
const headers: Partial<Record<Role, Record<string, string>>> = {};

const api = (path: string) => `/api/v1/organizations/${orgId}${path}`;
const asHead = () => headers.head ?? {};

async function freshUser(name = 'Fresh User'): Promise<string> {
  return createUser(stack, appKey, name);
}
async function freshMember(): Promise<string> {
  const user = await freshUser();
  expect((await stack.http.post(api('/members'), { user_id: user }, { headers: asHead() })).status).toBe(201);
  return user;
}
async function freshGroup(withAthlete = false): Promise<string> {
  const group = await stack.http.post<{ group: { group_id: string } }>(api('/groups'), { name: 'Morning group' }, { headers: asHead() });
  expect(group.status).toBe(201);
  const id = group.body?.group.group_id ?? '';
  if (withAthlete)
    expect((await stack.http.post(api(`/groups/${id}/members`), { user_id: users.athlete }, { headers: asHead() })).status).toBe(201);
  return id;
}

interface EndpointCase {
  readonly name: string;
  readonly allowed: readonly Role[];
  readonly success: number;
  readonly request: () => Promise<{ method: string; path: string; body?: unknown }>;
}

const COACHES: Role[] = ['assistant', 'head', 'admin'];
const HEAD: Role[] = ['head', 'admin'];

const ENDPOINTS: EndpointCase[] = [
  {
    name: 'organizations-update',
    allowed: HEAD,
    success: 200,
    request: async () => ({ method: 'PUT', path: api(''), body: { description: 'Updated' } }),
  },
  {
    name: 'members-add',
    allowed: COACHES,
    success: 201,
    request: async () => ({ method: 'POST', path: api('/members'), body: { user_id: await freshUser() } }),
  },
  {
    name: 'members-list',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'GET', path: api('/members?include_profile_status=true') }),
  },
  {
    name: 'members-update',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'PUT', path: api(`/members/${users.athlete}`), body: { member_level: 'advanced' } }),
  },
  {
    name: 'members-remove (another member)',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'DELETE', path: api(`/members/${await freshMember()}`) }),
  },
  {
    name: 'coaches-add',
    allowed: HEAD,
    success: 201,
    request: async () => ({ method: 'POST', path: api('/coaches'), body: { user_id: await freshUser(), role: 'assistant_coach' } }),
  },
  {
    name: 'coaches-remove',
    allowed: HEAD,
    success: 200,
    request: async () => {
      const coach = await freshUser();
      expect((await stack.http.post(api('/coaches'), { user_id: coach, role: 'assistant_coach' }, { headers: asHead() })).status).toBe(201);
      return { method: 'DELETE', path: api(`/coaches/${coach}`) };
    },
  },
  {
    name: 'groups-create',
    allowed: COACHES,
    success: 201,
    request: async () => ({ method: 'POST', path: api('/groups'), body: { name: 'Tempo' } }),
  },
  { name: 'groups-list', allowed: ['athlete', ...COACHES], success: 200, request: async () => ({ method: 'GET', path: api('/groups') }) },
  {
    name: 'groups-get',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'GET', path: api(`/groups/${await freshGroup()}`) }),
  },
  {
    name: 'groups-update',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'PUT', path: api(`/groups/${await freshGroup()}`), body: { name: 'Renamed' } }),
  },
  {
    name: 'groups-delete',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'DELETE', path: api(`/groups/${await freshGroup()}`) }),
  },
  {
    name: 'group-members-add',
    allowed: COACHES,
    success: 201,
    request: async () => ({ method: 'POST', path: api(`/groups/${await freshGroup()}/members`), body: { user_id: users.athlete } }),
  },
  {
    name: 'group-members-remove',
    allowed: COACHES,
    success: 200,
    request: async () => ({ method: 'DELETE', path: api(`/groups/${await freshGroup(true)}/members/${users.athlete}`) }),
  },
  { name: 'audit-logs-list', allowed: COACHES, success: 200, request: async () => ({ method: 'GET', path: api('/audit-logs') }) },
];

function expectedStatus(endpoint: EndpointCase, role: Role): number {
  // Every endpoint here takes user tokens only: its authorizer is keyed on Authorization (ADR 0014), so
  // a request without one, an app key's included, is 401 before anything runs.
  if (role === 'anonymous' || role === 'app') return 401;
  if (endpoint.allowed.includes(role)) return endpoint.success;
  return 403;
}

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('roles');
  for (const [key, name] of [
    ['head', 'Head Coach'],
    ['assistant', 'Assistant Coach'],
    ['athlete', 'Athlete'],
    ['outsider', 'Outsider'],
    ['otherHead', 'Other Head'],
  ] as const) {
    users[key] = await createUser(stack, appKey, name);
  }
  users.admin = 'usr_platformadmin';
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: 'Roles Club', head_coach_user_id: users.head },
    { headers: apiKey(appKey) },
  );
  orgId = org.body?.organization.org_id ?? '';
  const other = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: 'Other Club', head_coach_user_id: users.otherHead },
    { headers: apiKey(appKey) },
  );
  otherOrgId = other.body?.organization.org_id ?? '';

  headers.head = bearer(await stack.token(users.head as string));
  headers.assistant = bearer(await stack.token(users.assistant as string));
  headers.athlete = bearer(await stack.token(users.athlete as string));
  headers.outsider = bearer(await stack.token(users.outsider as string));
  headers.admin = bearer(await stack.token(users.admin, { admin: true }));
  headers.app = apiKey(appKey);
  headers.anonymous = {};

  expect(
    (await stack.http.post(api('/coaches'), { user_id: users.assistant, role: 'assistant_coach' }, { headers: asHead() })).status,
  ).toBe(201);
  expect((await stack.http.post(api('/members'), { user_id: users.athlete }, { headers: asHead() })).status).toBe(201);
  // The athlete and the assistant accept (privacy.md §8); a pending member's rights are tested below.
  await accept(stack, orgId, users.athlete as string);
  await accept(stack, orgId, users.assistant as string);

  const otherHead = bearer(await stack.token(users.otherHead as string));
  otherMember = await createUser(stack, appKey, 'Other Member');
  expect(
    (await stack.http.post(`/api/v1/organizations/${otherOrgId}/members`, { user_id: otherMember }, { headers: otherHead })).status,
  ).toBe(201);
  const group = await stack.http.post<{ group: { group_id: string } }>(
    `/api/v1/organizations/${otherOrgId}/groups`,
    { name: 'Theirs' },
    { headers: otherHead },
  );
  otherGroupId = group.body?.group.group_id ?? '';
});

afterAll(async () => {
  await stack?.stop();
});

const table = ENDPOINTS.flatMap((endpoint) =>
  ROLES.map((role) => [endpoint.name, role, expectedStatus(endpoint, role), endpoint] as const),
);

describe('organization endpoints by role', () => {
  it.each(table)('%s as %s → %i', async (_name, role, status, endpoint) => {
    const { method, path, body } = await endpoint.request();
    const response = await stack.http.request(method, path, { headers: headers[role] ?? {}, ...(body !== undefined ? { body } : {}) });
    expect(response.status).toBe(status);
    if (status === 403) expect(response.body).toMatchObject({ code: 'forbidden' });
    if (status >= 400) expect(JSON.stringify(response.body)).not.toContain(users.athlete as string);
  });

  it('a member who has not accepted is no member yet (groups, leaderboard, feed: 403), but may leave', async () => {
    const pending = await freshMember();
    const as = bearer(await stack.token(pending));
    for (const path of ['/groups', '/leaderboard?metric=distance&period=all', '/feed']) {
      expect([path, (await stack.http.get(api(path), { headers: as })).status]).toEqual([path, 403]);
    }
    await accept(stack, orgId, pending);
    expect((await stack.http.get(api('/groups'), { headers: as })).status).toBe(200);
    const other = await freshMember();
    expect((await stack.http.delete(api(`/members/${other}`), { headers: bearer(await stack.token(other)) })).status).toBe(200);
  });

  it('a member may remove themselves (no plan feature needed); an athlete may not remove someone else', async () => {
    const member = await freshMember();
    const self = await stack.http.delete(api(`/members/${member}`), { headers: bearer(await stack.token(member)) });
    expect(self.status).toBe(200);
    const other = await freshMember();
    expect((await stack.http.delete(api(`/members/${other}`), { headers: headers.athlete ?? {} })).status).toBe(403);
  });

  it('an unknown organization is 404 on every endpoint, for a coach and for an admin', async () => {
    for (const endpoint of ENDPOINTS) {
      const { method, path, body } = await endpoint.request();
      const missing = path.replace(orgId, 'org_doesnotexist00');
      const response = await stack.http.request(method, missing, { headers: headers.admin ?? {}, ...(body !== undefined ? { body } : {}) });
      expect([endpoint.name, response.status]).toEqual([endpoint.name, 404]);
    }
  });

  it("another organization's ids never leak: its members and groups are 404 under this org, and its lists are 403 to this head coach", async () => {
    const h = asHead();
    expect((await stack.http.get(api(`/groups/${otherGroupId}`), { headers: h })).status).toBe(404);
    expect((await stack.http.put(api(`/groups/${otherGroupId}`), { name: 'x' }, { headers: h })).status).toBe(404);
    expect((await stack.http.delete(api(`/groups/${otherGroupId}`), { headers: h })).status).toBe(404);
    expect((await stack.http.post(api(`/groups/${otherGroupId}/members`), { user_id: users.athlete }, { headers: h })).status).toBe(404);
    expect((await stack.http.put(api(`/members/${otherMember}`), { member_level: 'x' }, { headers: h })).status).toBe(404);
    expect((await stack.http.delete(api(`/members/${otherMember}`), { headers: h })).status).toBe(404);
    const group = await freshGroup();
    const notMember = await stack.http.post(api(`/groups/${group}/members`), { user_id: otherMember }, { headers: h });
    expect(notMember.status).toBe(400);
    expect(notMember.body).toMatchObject({ details: [{ path: 'user_id' }] });
    for (const path of ['/members', '/groups', '/audit-logs']) {
      const response = await stack.http.get(`/api/v1/organizations/${otherOrgId}${path}`, { headers: h });
      expect([path, response.status]).toEqual([path, 403]);
      expect(response.text).not.toContain(otherMember);
    }
    const list = await stack.http.get(api('/members'), { headers: h });
    expect(list.text).not.toContain(otherMember);
  });

  it('a removed coach loses access at once, and the members assigned to them are unassigned', async () => {
    const coach = await freshUser('Leaving Coach');
    expect((await stack.http.post(api('/coaches'), { user_id: coach, role: 'assistant_coach' }, { headers: asHead() })).status).toBe(201);
    const member = await freshMember();
    expect((await stack.http.put(api(`/members/${member}`), { assigned_coach_id: coach }, { headers: asHead() })).status).toBe(200);
    const coachHeaders = bearer(await stack.token(coach));
    expect((await stack.http.get(api(`/members?assigned_to_coach_id=${coach}`), { headers: coachHeaders })).body).toMatchObject({
      count: 1,
    });
    const removed = await stack.http.delete(api(`/coaches/${coach}`), { headers: asHead() });
    expect(removed.body).toEqual({
      message: 'Coach removed successfully',
      coach: { user_id: coach, name: 'Leaving Coach', role: 'assistant_coach', consent: 'pending' },
    });
    expect((await stack.http.get(api('/members'), { headers: coachHeaders })).status).toBe(403);
    expect((await stack.http.get(api(`/members?assigned_to_coach_id=${coach}`), { headers: asHead() })).body).toMatchObject({ count: 0 });
    const org = await stack.http.get<{ coaches: { user_id: string }[] }>(`/api/v1/organizations/${orgId}`);
    expect(org.body?.coaches.map((c) => c.user_id)).not.toContain(coach);
    // Assigning a non-coach is a 400 naming the field.
    const bad = await stack.http.put(api(`/members/${member}`), { assigned_coach_id: coach }, { headers: asHead() });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ details: [{ path: 'assigned_coach_id' }] });
  });
});

describe('cross-organization ids on coach and group-member endpoints', () => {
  it("another organization's head coach, members and groups cannot be reached through this organization", async () => {
    const h = asHead();
    // Not a coach here: removing them through this org is a 404, and their org keeps its head coach.
    expect((await stack.http.delete(api(`/coaches/${users.otherHead}`), { headers: h })).status).toBe(404);
    const other = await stack.http.get(`/api/v1/organizations/${otherOrgId}`);
    expect(other.body).toMatchObject({ head_coach_user_id: users.otherHead });
    // Their member is in none of our groups: removing them from one of ours is a 404 and changes nothing.
    const group = await freshGroup(true);
    const before = (await stack.http.get(api(`/groups/${group}`), { headers: h })).body;
    expect((await stack.http.delete(api(`/groups/${group}/members/${otherMember}`), { headers: h })).status).toBe(404);
    expect((await stack.http.get(api(`/groups/${group}`), { headers: h })).body).toEqual(before);
    // Their group's members cannot be removed through our org.
    expect((await stack.http.delete(api(`/groups/${otherGroupId}/members/${otherMember}`), { headers: h })).status).toBe(404);
    // A user who is not a member here cannot "leave" this org: an outsider is refused (403), nothing changes.
    expect((await stack.http.delete(api(`/members/${otherMember}`), { headers: bearer(await stack.token(otherMember)) })).status).toBe(403);
  });

  it("removing a member also takes them out of the organization's groups", async () => {
    const h = asHead();
    const member = await freshMember();
    const group = await freshGroup();
    expect((await stack.http.post(api(`/groups/${group}/members`), { user_id: member }, { headers: h })).status).toBe(201);
    expect((await stack.http.delete(api(`/members/${member}`), { headers: h })).status).toBe(200);
    const after = await stack.http.get<{ member_ids: string[] }>(api(`/groups/${group}`), { headers: h });
    expect(after.body?.member_ids).not.toContain(member);
  });
});
