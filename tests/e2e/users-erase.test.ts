import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/repositories/keys';
import { testDocumentClient } from '../support/dynamodb';
import { accept, createUser } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * DELETE /users/me (issue 16, ADR 0020): an athlete with their name, bio, nickname, activity names and
 * route in every place the table keeps them (profile, activities and summaries, feed and board
 * entries, member and coach items, the coaches list, groups, audit events, the access log,
 * Idempotency-Key records; as member, coach and head coach, and as a removed member) is erased, and a
 * full scan of the table finds none of it afterwards. The same scan finds it before, so it can fail.
 */
const SENTINEL = 'Zqxerasuresentinel';
const NAME = `${SENTINEL} Name`;
const POLYLINE = '_p~iF~ps|U_ulLnnqC_mqNvxq`@';

let stack: TestStack;
let appKey: string;
let athlete: string;
let head: string;
let other: string;
const orgs: Record<'member' | 'coach' | 'head' | 'removed', string> = { member: '', coach: '', head: '', removed: '' };
const as = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

/** Test-only inspection of the whole table (request paths never scan). */
async function tableText(): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await testDocumentClient().send(
      new ScanCommand({ TableName: stack.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of out.Items ?? [])
      items.push(JSON.stringify(item, (_, value: unknown) => (value instanceof Set ? [...(value as Set<unknown>)] : value)));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const holding = (items: string[], text: string) => items.filter((item) => item.toLowerCase().includes(text.toLowerCase()));

async function jobOf(userId: string) {
  return (
    await testDocumentClient().send(new GetCommand({ TableName: stack.tableName, Key: keys.erasureJob(userId), ConsistentRead: true }))
  ).Item;
}

/** Drains the streams until the erasure job is done: each pass's write is the next pass's trigger. */
async function finishErasure(userId: string): Promise<Record<string, unknown>> {
  for (let round = 0; round < 400; round++) {
    await stack.drainStreams();
    const job = await jobOf(userId);
    if (job?.state === 'done') {
      // Whatever the last passes' own writes set off (audit events of the ends of ties).
      await stack.drainStreams();
      return job;
    }
  }
  throw new Error('erasure did not finish');
}

async function createOrg(headCoach: string, name: string): Promise<string> {
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `${name} ${Math.random().toString(36).slice(2)}`, head_coach_user_id: headCoach },
    { headers: { 'X-API-Key': appKey } },
  );
  expect(org.status).toBe(201);
  const orgId = org.body?.organization.org_id ?? '';
  await accept(stack, orgId, headCoach);
  return orgId;
}

async function ok(call: Promise<{ status: number }>, status = 200) {
  expect((await call).status).toBe(status);
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(new Date('2026-06-10T08:00:00Z'));
  appKey = await stack.appKey('erasure');
  athlete = await createUser(stack, appKey, NAME);
  head = await createUser(stack, appKey, 'Head Hana');
  other = await createUser(stack, appKey, 'Other Oli');
  await ok(stack.http.put(`/api/v1/users/${athlete}`, { bio: `${SENTINEL} bio` }, await as(athlete)));
  const asHead = await as(head);

  // A member with a nickname, assigned to a coach, in a training group.
  orgs.member = await createOrg(head, 'Member Club');
  await ok(stack.http.post(`/api/v1/organizations/${orgs.member}/coaches`, { user_id: other, role: 'assistant_coach' }, asHead), 201);
  await accept(stack, orgs.member, other);
  await ok(stack.http.post(`/api/v1/organizations/${orgs.member}/members`, { user_id: athlete }, asHead), 201);
  await accept(stack, orgs.member, athlete);
  await ok(
    stack.http.put(
      `/api/v1/organizations/${orgs.member}/members/${athlete}`,
      { display_name: `${SENTINEL} Nick`, assigned_coach_id: other },
      asHead,
    ),
  );
  const group = await stack.http.post<{ group: { group_id: string } }>(
    `/api/v1/organizations/${orgs.member}/groups`,
    { name: 'Dawn' },
    asHead,
  );
  expect(group.status).toBe(201);
  await ok(
    stack.http.post(`/api/v1/organizations/${orgs.member}/groups/${group.body?.group.group_id}/members`, { user_id: athlete }, asHead),
    201,
  );
  // A coach elsewhere; the head coach of a third; a member removed from a fourth (a tombstone with the name).
  orgs.coach = await createOrg(head, 'Coach Club');
  await ok(stack.http.post(`/api/v1/organizations/${orgs.coach}/coaches`, { user_id: athlete, role: 'assistant_coach' }, asHead), 201);
  await accept(stack, orgs.coach, athlete);
  // …with a member assigned to the athlete as their coach.
  await ok(stack.http.post(`/api/v1/organizations/${orgs.coach}/members`, { user_id: other }, asHead), 201);
  await accept(stack, orgs.coach, other);
  await ok(stack.http.put(`/api/v1/organizations/${orgs.coach}/members/${other}`, { assigned_coach_id: athlete }, asHead));
  orgs.head = await createOrg(athlete, 'Head Club');
  orgs.removed = await createOrg(head, 'Former Club');
  await ok(stack.http.post(`/api/v1/organizations/${orgs.removed}/members`, { user_id: athlete }, asHead), 201);
  await accept(stack, orgs.removed, athlete);

  // Activities (one through an Idempotency-Key, whose record keeps the response), projected into feeds and boards.
  const asAthlete = await as(athlete);
  for (const [index, day] of ['2026-06-01', '2026-06-02', '2026-06-03'].entries()) {
    const body = { type: 'run', name: `${SENTINEL} run ${index}`, start_time: `${day}T07:00:00Z`, distance_m: 10000, moving_time_s: 2700 };
    const created = await stack.http.post(
      `/api/v1/users/${athlete}/activities`,
      { ...body, map: { polyline: POLYLINE, start_latlng: [38.5, -120.2], end_latlng: [43.252, -126.453] } },
      { headers: { ...asAthlete.headers, 'Idempotency-Key': `erase-${index}` } },
    );
    expect(created.status).toBe(201);
  }
  await stack.drainStreams();
  // The removal after the activities were projected: that club's feed keeps the entries it had.
  await ok(stack.http.delete(`/api/v1/organizations/${orgs.removed}/members/${athlete}`, asHead));
  // A coach's read: an access-log entry in the athlete's partition.
  await ok(stack.http.get(`/api/v1/users/${athlete}`, await as(other)));
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

test('before the erasure, the sentinels are in every kind of item the test means to cover (so the scan below can fail)', async () => {
  const items = await tableText();
  const kinds = new Set(holding(items, SENTINEL).map((item) => (JSON.parse(item) as { entity?: string }).entity ?? 'unknown'));
  expect([...kinds].sort()).toEqual(
    expect.arrayContaining(['activity', 'activity_summary', 'audit_event', 'coach', 'feed_entry', 'member', 'organization', 'user']),
  );
  expect(holding(items, POLYLINE).length).toBeGreaterThan(0);
  process.stderr.write(
    `users-erase: before, ${holding(items, SENTINEL).length} of ${items.length} items hold the sentinel (${[...kinds].sort().join(', ')})\n`,
  );
  expect(items.some((item) => item.includes(`"IDEMPOTENCY#user:${athlete}"`) && item.includes(SENTINEL))).toBe(true);
  expect(items.some((item) => item.includes(`"sk":"BOARD#`) && item.includes(`"USER#${athlete}"`))).toBe(true);
  expect(items.some((item) => item.includes(`"sk":"ACCESS#`) && item.includes(`"USER#${athlete}"`))).toBe(true);
  // And over the API: the roster, the board and the feed show the athlete.
  const asHead = await as(head);
  for (const path of ['members', 'leaderboard?metric=distance&period=month', 'feed']) {
    const response = await stack.http.get(`/api/v1/organizations/${orgs.member}/${path}`, asHead);
    expect([path, response.status, JSON.stringify(response.body).includes(athlete)]).toEqual([path, 200, true]);
  }
});

test('DELETE /users/me: the profile is gone at once, the id cannot be recreated (GET /users/me, PUT) while the job runs, and nothing holds the athlete afterwards', async () => {
  const asAthlete = await as(athlete);
  const erase = await stack.http.delete<{ message: string }>('/api/v1/users/me', asAthlete);
  expect(erase.status).toBe(200);
  expect(erase.body?.message).toMatch(/being erased/);

  // At once, before any pass ran: 404 to everyone, and no way to recreate the id.
  expect((await stack.http.get(`/api/v1/users/${athlete}`, await as(other))).status).toBe(404);
  expect((await stack.http.get(`/api/v1/users/${athlete}/activities`, await as(other))).status).toBe(404);
  const me = await stack.http.get<{ code: string }>('/api/v1/users/me', asAthlete);
  expect([me.status, me.body?.code]).toEqual([409, 'erasure_in_progress']);
  const update = await stack.http.put<{ code: string }>(`/api/v1/users/${athlete}`, { bio: 'back' }, asAthlete);
  expect([update.status, update.body?.code]).toEqual([409, 'erasure_in_progress']);
  // Asking again while it runs is the same answer, not a second job.
  expect((await stack.http.delete('/api/v1/users/me', asAthlete)).status).toBe(200);

  const job = await finishErasure(athlete);
  expect(job.orgs).toEqual(expect.arrayContaining(Object.values(orgs)));

  const items = await tableText();
  expect(holding(items, SENTINEL)).toEqual([]);
  process.stderr.write(`users-erase: after ${job.pass} passes, 0 of ${items.length} items hold the sentinel or the route\n`);
  expect(holding(items, POLYLINE)).toEqual([]);
  expect(
    items.filter((item) => item.includes(`"USER#${athlete}"`) && item.includes('"pk"') && JSON.parse(item).pk === `USER#${athlete}`),
  ).toEqual([]);
  expect(items.filter((item) => JSON.parse(item).pk === `IDEMPOTENCY#user:${athlete}`)).toEqual([]);
  // The job keeps the opaque id and times only.
  expect(Object.keys(job).sort()).toEqual(
    ['entity', 'items_deleted', 'orgs', 'pass', 'pk', 'sk', 'started_at', 'completed_at', 'state', 'step', 'user_id'].sort(),
  );
});

test('afterwards: rosters, coaches lists, groups, assignments, feeds and boards no longer show the athlete; audit events keep the opaque id with the athlete as actor', async () => {
  const asHead = await as(head);
  const roster = await stack.http.get<{ members: { user_id: string }[] }>(`/api/v1/organizations/${orgs.member}/members`, asHead);
  expect(roster.status).toBe(200);
  expect(roster.body?.members.map((m) => m.user_id)).not.toContain(athlete);
  const coachOrg = await stack.http.get<{ coaches: { user_id: string }[] }>(`/api/v1/organizations/${orgs.coach}`, asHead);
  expect(coachOrg.body?.coaches.map((c) => c.user_id)).not.toContain(athlete);
  // The member the athlete coached is left unassigned, as a coach's removal leaves them, in the athlete's name.
  type Roster = { members: { user_id: string; assigned_coach_id?: string }[] };
  const coached = await stack.http.get<Roster>(`/api/v1/organizations/${orgs.coach}/members`, asHead);
  expect(coached.body?.members.find((m) => m.user_id === other)).toEqual(expect.objectContaining({ status: 'active' }));
  expect(coached.body?.members.find((m) => m.user_id === other)?.assigned_coach_id).toBeUndefined();
  const stillAssigned = await stack.http.get<Roster>(`/api/v1/organizations/${orgs.coach}/members?assigned_to_coach_id=${athlete}`, asHead);
  expect([stillAssigned.status, stillAssigned.body?.members]).toEqual([200, []]);
  const coachAudit = await stack.http.get<{ logs: { event_type: string; actor_id: string; target_id: string }[] }>(
    `/api/v1/organizations/${orgs.coach}/audit-logs?event_type=member_updated`,
    asHead,
  );
  expect(
    coachAudit.body?.logs
      .filter((e) => e.target_id === other)
      .map((e) => e.actor_id)
      .sort(),
  ).toEqual([athlete, head].sort());
  const groups = await stack.http.get<{ groups: { member_ids?: string[] }[] }>(`/api/v1/organizations/${orgs.member}/groups`, asHead);
  expect(groups.body?.groups.flatMap((g) => g.member_ids ?? [])).not.toContain(athlete);
  const feed = await stack.http.get<{ items: unknown[] }>(`/api/v1/organizations/${orgs.member}/feed`, asHead);
  expect(JSON.stringify(feed.body)).not.toContain(athlete);
  const board = await stack.http.get(`/api/v1/organizations/${orgs.member}/leaderboard?metric=distance&period=month`, asHead);
  expect(board.status).toBe(200);
  expect(JSON.stringify(board.body)).not.toContain(athlete);

  const audit = await stack.http.get<{ logs: { event_type: string; actor_id: string; target_id: string; target_name: string }[] }>(
    `/api/v1/organizations/${orgs.member}/audit-logs?limit=100`,
    asHead,
  );
  expect(audit.status).toBe(200);
  const about = audit.body?.logs.filter((e) => e.target_id === athlete) ?? [];
  expect(about.map((e) => e.event_type)).toEqual(expect.arrayContaining(['member_added', 'member_updated', 'member_removed']));
  for (const event of about) expect(event.target_name).toBe(athlete);
  expect(about.find((e) => e.event_type === 'member_removed')?.actor_id).toBe(athlete);
});

test('erasing an erased id again answers 200, and an unknown id 404', async () => {
  expect((await stack.http.delete('/api/v1/users/me', await as(athlete))).status).toBe(200);
  expect((await stack.http.delete('/api/v1/users/me', await as('usr_neverexisted'))).status).toBe(404);
});
