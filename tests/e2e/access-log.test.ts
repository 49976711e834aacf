import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The access log over HTTP (issue 16, ADR 0019): a read that shows more than the public view is
 * counted in the athlete's log per (viewer, context, UTC day); the owner's own, a stranger's and an
 * app key's reads are not; and only the athlete reads their log. The clock is pinned, so the day and
 * the flush interval do not depend on when the test runs.
 */
interface Entry {
  viewer_id: string;
  viewer_display_name?: string;
  relationship: string;
  context: string;
  day: string;
  count: number;
  first_at: string;
  last_at: string;
}

const DAY = '2026-06-10';
const at = (time: string) => new Date(`${DAY}T${time}Z`);

let stack: TestStack;
let cast: OrgCast;
const as = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

async function logOf(userId: string): Promise<Entry[]> {
  const response = await stack.http.get<{ entries: Entry[]; count: number }>('/api/v1/users/me/access-log?limit=100', await as(userId));
  expect(response.status).toBe(200);
  return response.body?.entries ?? [];
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(at('08:00:00'));
  cast = await createOrgCast(stack);
  const created = await stack.http.post(
    `/api/v1/users/${cast.athlete}/activities`,
    { type: 'run', name: 'Tempo', start_time: '2026-06-01T07:00:00Z', distance_m: 10000, moving_time_s: 2700 },
    await as(cast.athlete),
  );
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
});

test("a coach's reads of the athlete's profile and activities show in the athlete's log, with count, first and last time and the coach's name", async () => {
  const coach = await as(cast.assignedCoach);
  stack.pinClock(at('09:00:00'));
  expect((await stack.http.get(`/api/v1/users/${cast.athlete}`, coach)).status).toBe(200);
  stack.pinClock(at('09:00:10'));
  expect((await stack.http.get(`/api/v1/users/${cast.athlete}`, coach)).status).toBe(200);
  expect((await stack.http.get(`/api/v1/users/${cast.athlete}/activities`, coach)).status).toBe(200);
  // Past the flush interval: the read held in memory and this one are written together.
  stack.pinClock(at('09:05:00'));
  expect((await stack.http.get(`/api/v1/users/${cast.athlete}`, coach)).status).toBe(200);

  const entries = (await logOf(cast.athlete)).filter((e) => e.viewer_id === cast.assignedCoach);
  const byContext = Object.fromEntries(entries.map((e) => [e.context, e]));
  expect(byContext.profile).toEqual({
    viewer_id: cast.assignedCoach,
    viewer_display_name: 'Assigned Coach Cy',
    relationship: 'coach',
    context: 'profile',
    day: DAY,
    count: 3,
    first_at: `${DAY}T09:00:00Z`,
    last_at: `${DAY}T09:05:00Z`,
  });
  expect(byContext.activity).toMatchObject({ relationship: 'coach', count: 1, first_at: `${DAY}T09:00:10Z` });
  process.stderr.write(
    `access-log: ${entries.map((e) => `${e.viewer_display_name} ${e.relationship} ${e.context} ×${e.count}`).join(', ')} in the athlete's log\n`,
  );
});

test('the owner, a stranger (public view) and an app key leave no entry', async () => {
  const before = await logOf(cast.athlete);
  for (const headers of [await as(cast.athlete), await as(cast.stranger), { headers: { 'X-API-Key': cast.appKey } }]) {
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}`, headers)).status).toBe(200);
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}/activities`, headers)).status).toBe(200);
  }
  const viewers = new Set((await logOf(cast.athlete)).map((e) => e.viewer_id));
  expect(viewers.has(cast.athlete) || viewers.has(cast.stranger)).toBe(false);
  expect((await logOf(cast.athlete)).length).toBe(before.length);
});

test("the log is the caller's own: another user reads their own (empty) log, an app key none", async () => {
  expect(await logOf(cast.stranger)).toEqual([]);
  const byKey = await stack.http.get('/api/v1/users/me/access-log', { headers: { 'X-API-Key': cast.appKey } });
  expect([401, 403]).toContain(byKey.status);
});

test('pages of the log: limit and next_token; a bad token is a 400 naming next_token', async () => {
  const all = await logOf(cast.athlete);
  expect(all.length).toBeGreaterThanOrEqual(2);
  const first = await stack.http.get<{ entries: Entry[]; next_token?: string }>(
    '/api/v1/users/me/access-log?limit=1',
    await as(cast.athlete),
  );
  expect(first.body?.entries).toHaveLength(1);
  expect(first.body?.next_token).toEqual(expect.any(String));
  const second = await stack.http.get<{ entries: Entry[] }>(
    `/api/v1/users/me/access-log?limit=1&next_token=${encodeURIComponent(first.body?.next_token ?? '')}`,
    await as(cast.athlete),
  );
  expect(second.body?.entries).toHaveLength(1);
  expect(second.body?.entries[0]).not.toEqual(first.body?.entries[0]);
  const bad = await stack.http.get('/api/v1/users/me/access-log?next_token=garbage', await as(cast.athlete));
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('next_token');
  // A token sealed for another user's log does not open this one.
  const foreign = await stack.http.get(
    `/api/v1/users/me/access-log?next_token=${encodeURIComponent(first.body?.next_token ?? '')}`,
    await as(cast.stranger),
  );
  expect(foreign.status).toBe(400);
});
