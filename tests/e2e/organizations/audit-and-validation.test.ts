import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../../support/dynamodb';
import { apiKey, bearer } from '../../support/http';
import { createUser } from '../../support/org-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let appKey: string;
let orgId: string;
let head: string;
let assistant: string;
let athlete: string;
let h: Record<string, string>;
let groupId: string;

const api = (path: string) => `/api/v1/organizations/${orgId}${path}`;

async function snapshot(): Promise<string> {
  // Test-only view of the whole table, to prove a refused request wrote nothing.
  const out = await testDocumentClient().send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
  const items = (out.Items ?? [])
    .filter((i) => i.entity !== 'audit_event')
    .map((i) => JSON.stringify(i, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)));
  return items.sort().join('\n');
}

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('audit');
  head = await createUser(stack, appKey, 'Head Hal');
  assistant = await createUser(stack, appKey, 'Jane Smith');
  athlete = await createUser(stack, appKey, 'Athlete Ada');
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: 'Audit Club', head_coach_user_id: head },
    { headers: apiKey(appKey) },
  );
  orgId = org.body?.organization.org_id ?? '';
  h = bearer(await stack.token(head));
});

afterAll(async () => {
  await stack?.stop();
});

describe('the audit log names the actor of every roster, coach and group change', () => {
  it('coach added by the head coach; member added and updated by the assistant; group lifecycle; removals by their actors', async () => {
    const coach = await stack.http.post(api('/coaches'), { user_id: assistant, role: 'assistant_coach' }, { headers: h });
    expect(coach.status).toBe(201);
    expect(coach.body).toEqual({
      message: 'Coach added successfully',
      coach: { user_id: assistant, name: 'Jane Smith', role: 'assistant_coach', consent: 'pending' },
    });
    const a = bearer(await stack.token(assistant));
    expect((await stack.http.post(api('/members'), { user_id: athlete, display_name: 'Ada' }, { headers: a })).status).toBe(201);
    expect(
      (await stack.http.put(api(`/members/${athlete}`), { status: 'inactive', assigned_coach_id: assistant }, { headers: a })).status,
    ).toBe(200);
    const group = await stack.http.post<{ group: { group_id: string } }>(
      api('/groups'),
      { name: 'Dawn Patrol', description: 'Early runs' },
      { headers: a },
    );
    expect(group.status).toBe(201);
    groupId = group.body?.group.group_id ?? '';
    expect(group.body?.group).toEqual({ group_id: groupId, name: 'Dawn Patrol', description: 'Early runs', member_ids: [] });
    // Only active members may join a group.
    expect((await stack.http.post(api(`/groups/${groupId}/members`), { user_id: athlete }, { headers: a })).status).toBe(400);
    expect((await stack.http.put(api(`/members/${athlete}`), { status: 'active' }, { headers: a })).status).toBe(200);
    const joined = await stack.http.post(api(`/groups/${groupId}/members`), { user_id: athlete }, { headers: h });
    expect(joined.body).toMatchObject({ group: { member_ids: [athlete] } });
    expect((await stack.http.post(api(`/groups/${groupId}/members`), { user_id: athlete }, { headers: h })).status).toBe(409);
    expect((await stack.http.get(api(`/groups/${groupId}`), { headers: a })).body).toEqual({
      group_id: groupId,
      name: 'Dawn Patrol',
      description: 'Early runs',
      member_ids: [athlete],
    });
    expect((await stack.http.put(api(`/groups/${groupId}`), { name: 'Sunrise' }, { headers: a })).status).toBe(200);
    expect((await stack.http.delete(api(`/groups/${groupId}/members/${athlete}`), { headers: a })).status).toBe(200);
    expect((await stack.http.delete(api(`/groups/${groupId}`), { headers: h })).status).toBe(200);
    expect((await stack.http.get(api(`/groups/${groupId}`), { headers: h })).status).toBe(404);
    expect((await stack.http.get(api('/groups'), { headers: h })).body).toEqual({ groups: [], count: 0 });
    expect((await stack.http.delete(api(`/members/${athlete}`), { headers: a })).status).toBe(200);
    expect((await stack.http.delete(api(`/coaches/${assistant}`), { headers: h })).status).toBe(200);

    await stack.drainStreams();
    const response = await stack.http.get<{ logs: Record<string, unknown>[] }>(api('/audit-logs?limit=100'), { headers: h });
    const logs = response.body?.logs ?? [];
    const find = (type: string) => logs.filter((l) => l.event_type === type);
    expect(find('coach_added')).toEqual([expect.objectContaining({ actor_id: head, target_id: assistant, target_name: 'Jane Smith' })]);
    expect(find('coach_removed')).toEqual([expect.objectContaining({ actor_id: head, target_id: assistant })]);
    expect(find('member_added')).toEqual([expect.objectContaining({ actor_id: assistant, target_id: athlete, target_name: 'Ada' })]);
    expect(find('member_updated')).toContainEqual(
      expect.objectContaining({
        actor_id: assistant,
        changes: { status: { before: 'active', after: 'inactive' }, assigned_coach_id: { after: assistant } },
      }),
    );
    expect(find('member_removed')).toEqual([expect.objectContaining({ actor_id: assistant, target_id: athlete })]);
    expect(find('group_created')).toEqual([
      expect.objectContaining({ actor_id: assistant, target_id: groupId, target_name: 'Dawn Patrol' }),
    ]);
    expect(find('group_member_added')).toEqual([expect.objectContaining({ actor_id: head, target_id: athlete })]);
    expect(find('group_member_removed')).toEqual([expect.objectContaining({ actor_id: assistant, target_id: athlete })]);
    expect(find('group_updated')).toContainEqual(
      expect.objectContaining({ actor_id: assistant, changes: { name: { before: 'Dawn Patrol', after: 'Sunrise' } } }),
    );
    expect(find('group_deleted')).toEqual([expect.objectContaining({ actor_id: head, target_id: groupId })]);
    const byType = await stack.http.get<{ logs: Record<string, unknown>[] }>(api('/audit-logs?event_type=group_deleted'), { headers: h });
    expect(byType.body?.logs).toEqual(find('group_deleted'));
  });
});

const BAD_INPUT: [string, string, string, unknown, string][] = [
  ['PUT org: unknown field', 'PUT', '', { colour: 'red' }, 'colour'],
  ['PUT org: wrong type', 'PUT', '', { name: 42 }, 'name'],
  ['PUT org: oversized name', 'PUT', '', { name: 'x'.repeat(500) }, 'name'],
  ['PUT org: settings not an object', 'PUT', '', { settings: 'x' }, 'settings'],
  [
    'PUT org: too many settings keys',
    'PUT',
    '',
    { settings: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])) },
    'settings',
  ],
  ['POST members: missing user_id', 'POST', '/members', {}, 'user_id'],
  ['POST members: bad user id', 'POST', '/members', { user_id: 'usr#1' }, 'user_id'],
  [
    'POST members: too many labels',
    'POST',
    '/members',
    { user_id: 'usr_x1', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) },
    'labels',
  ],
  ['POST members: oversized label', 'POST', '/members', { user_id: 'usr_x1', labels: ['x'.repeat(41)] }, 'labels.0'],
  ['POST members: unknown field', 'POST', '/members', { user_id: 'usr_x1', role: 'x' }, 'role'],
  ['PUT member: bad status', 'PUT', '/members/usr_x1', { status: 'removed' }, 'status'],
  ['PUT member: wrong type', 'PUT', '/members/usr_x1', { labels: 'a' }, 'labels'],
  ['PUT member: bad path id', 'PUT', '/members/bad%23id', { member_level: 'a' }, 'user_id'],
  ['POST coaches: missing role', 'POST', '/coaches', { user_id: 'usr_x1' }, 'role'],
  ['POST coaches: oversized role', 'POST', '/coaches', { user_id: 'usr_x1', role: 'a'.repeat(41) }, 'role'],
  ['POST groups: missing name', 'POST', '/groups', { description: 'x' }, 'name'],
  ['POST groups: oversized description', 'POST', '/groups', { name: 'g', description: 'x'.repeat(1001) }, 'description'],
  ['PUT group: bad group id', 'PUT', '/groups/grp_bad!', { name: 'x' }, 'group_id'],
  ['PUT group: unknown field', 'PUT', '/groups/grp_abcdef', { member_ids: [] }, 'member_ids'],
  ['POST group members: missing user_id', 'POST', '/groups/grp_abcdef/members', {}, 'user_id'],
  ['DELETE group member: bad user id', 'DELETE', '/groups/grp_abcdef/members/bad%23id', undefined, 'user_id'],
  ['DELETE coach: bad user id', 'DELETE', '/coaches/bad%23id', undefined, 'user_id'],
];

describe('bad input on every write endpoint is a 400 naming the field, and writes nothing', () => {
  it.each(BAD_INPUT)('%s', async (_name, method, path, body, field) => {
    const before = await snapshot();
    const response = await stack.http.request(method, api(path), { headers: h, ...(body !== undefined ? { body } : {}) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_error' });
    expect((response.body?.details as { path: string }[]).map((d) => d.path)).toContain(field);
    expect(await snapshot()).toBe(before);
  });
});
