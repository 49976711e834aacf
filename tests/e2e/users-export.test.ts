import { newActivityId } from '../../lib/activities/activity-id';
import type { Activity } from '../../lib/activities/activity';
import { summaryPut } from '../../lib/repositories/activity-summaries';
import { batchWriteItems, type WriteRequest } from '../../lib/repositories/batch-write';
import { keys } from '../../lib/repositories/keys';
import { testDocumentClient } from '../support/dynamodb';
import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * GET /users/me/export (issue 16 part 3): an athlete with 1,000 activities pages through all of them,
 * each exactly once and each page at most 1 MB, after the profile and before memberships and the
 * access log. The activities are written straight to the table (activity item and its summary, as
 * ActivityRepository lays them out) for speed; each carries a 3 KB polyline so the export needs
 * several pages.
 */
const ACTIVITIES = 1_000;
const PAGE_BYTES = 1_000_000;

let stack: TestStack;
let cast: OrgCast;
const seeded = new Set<string>();
const as = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

interface ExportBody {
  profile?: Record<string, unknown>;
  activities: { activity_id: string; map?: { polyline: string } }[];
  memberships?: { org_id: string; consent: string }[];
  access_log?: { viewer_id: string }[];
  next_token?: string;
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(new Date('2026-06-10T08:00:00Z'));
  cast = await createOrgCast(stack);
  const requests: WriteRequest[] = [];
  for (let i = 0; i < ACTIVITIES; i++) {
    const start_time = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const activity: Activity = {
      activity_id: newActivityId(start_time),
      user_id: cast.athlete,
      created_at: '2026-06-01T00:00:00Z',
      type: 'run',
      name: `Run ${i}`,
      start_time,
      distance_m: 5000 + i,
      moving_time_s: 1500,
      map: { polyline: 'x'.repeat(3_000) },
    };
    seeded.add(activity.activity_id);
    requests.push({
      PutRequest: {
        Item: { ...keys.activity(cast.athlete, activity.activity_id), entity: 'activity', last_actor_id: cast.athlete, ...activity },
      },
    });
    const summary = summaryPut(stack.tableName, activity).Put?.Item;
    if (summary) requests.push({ PutRequest: { Item: summary } });
  }
  await batchWriteItems(testDocumentClient(), stack.tableName, requests);
  // A coach's read, so the access log has an entry to export.
  expect((await stack.http.get(`/api/v1/users/${cast.athlete}`, await as(cast.assignedCoach))).status).toBe(200);
}, 600_000);

// Stopping waits for the poller's running cycle, which may be projecting the 2,000 seeded items.
afterAll(async () => {
  await stack?.stop();
}, 600_000);

test('an athlete with 1,000 activities pages through all of them, each once, every page at most 1 MB, sections in order', async () => {
  const headers = await as(cast.athlete);
  const pages: ExportBody[] = [];
  const sizes: number[] = [];
  let token: string | undefined;
  do {
    const response = await stack.http.get<ExportBody>(
      `/api/v1/users/me/export${token ? `?next_token=${encodeURIComponent(token)}` : ''}`,
      headers,
    );
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(response.text, 'utf8')).toBeLessThanOrEqual(PAGE_BYTES);
    sizes.push(Buffer.byteLength(response.text, 'utf8'));
    const body = response.body as ExportBody;
    pages.push(body);
    token = body.next_token;
  } while (token && pages.length < 50);

  expect(pages.length).toBeGreaterThan(1);
  const ids = pages.flatMap((p) => p.activities.map((a) => a.activity_id));
  expect(ids).toHaveLength(ACTIVITIES);
  expect(new Set(ids)).toEqual(seeded);
  expect(pages.flatMap((p) => p.activities).every((a) => a.map?.polyline.length === 3_000)).toBe(true);
  // Sections in order: the profile first, memberships and the access log once the activities are done.
  expect(pages[0]?.profile).toMatchObject({ user_id: cast.athlete, privacy: expect.any(Object) });
  expect(pages.slice(1).every((p) => p.profile === undefined)).toBe(true);
  const last = pages[pages.length - 1];
  expect(last?.memberships?.map((m) => [m.org_id, m.consent])).toEqual([[cast.orgId, 'accepted']]);
  expect(last?.access_log?.map((e) => e.viewer_id)).toEqual([cast.assignedCoach]);
  expect(pages.slice(0, -1).every((p) => p.memberships === undefined && p.access_log === undefined)).toBe(true);
  process.stderr.write(`users-export: ${ids.length} activities in ${pages.length} pages, largest ${Math.max(...sizes)} bytes\n`);
}, 600_000);

test("the export is the caller's own and a bad token is a 400 naming next_token", async () => {
  const other = await stack.http.get<ExportBody>('/api/v1/users/me/export', await as(cast.stranger));
  expect(other.status).toBe(200);
  expect(other.body?.activities).toEqual([]);
  expect(other.body?.next_token).toBeUndefined();
  const first = await stack.http.get<ExportBody>('/api/v1/users/me/export', await as(cast.athlete));
  const foreign = await stack.http.get(
    `/api/v1/users/me/export?next_token=${encodeURIComponent(first.body?.next_token ?? '')}`,
    await as(cast.stranger),
  );
  expect(foreign.status).toBe(400);
  expect(foreign.text).toContain('next_token');
  const bad = await stack.http.get('/api/v1/users/me/export?next_token=garbage', await as(cast.athlete));
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('next_token');
});
