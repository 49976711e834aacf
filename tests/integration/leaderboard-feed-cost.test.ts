import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../lib/activities/period-totals';
import { pinClock } from '../../lib/clock';
import { totalAttribute } from '../../lib/repositories/period-totals';
import { createDocumentClient, documentClient } from '../../lib/db/client';
import { CoachRepository } from '../../lib/repositories/coach-repository';
import { OrganizationRepository } from '../../lib/repositories/organization-repository';
import { ConsentRepository } from '../../lib/repositories/consent-repository';
import { acceptedInvitation, memberTieAttributes } from '../../lib/repositories/profile-ties';
import { UserRepository } from '../../lib/repositories/user-repository';
import { countCalls } from '../support/call-counter';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../support/dynamodb';

/**
 * Leaderboard and feed reads on a 1,000-member organization, through the handlers' own path, with
 * every DynamoDB call counted. Leaderboard: the roster Query pages (which also carry the
 * organization item that authorizes the read) and ⌈N/100⌉ consistent BatchGets of the profiles
 * (settings, name, photo, totals and ties), nothing else, for the head coach, an assistant coach and a
 * member alike. Feed page: ONE feed Query and ⌈(D + 2)/100⌉ BatchGets (the organization item, the
 * viewer's profile and the D distinct owners' profiles), nothing else.
 */
const MEMBERS = 1000;
const FEED_ENTRIES = 300;
const ROSTER_PAGE = 1000;
let table: string;
const orgId = 'org_lbcostcheck01';
const headCoach = 'usr_lbhead';
const memberViewer = 'usr_m00007';
const assistantCoach = 'usr_lbassistant';
const admin = 'usr_lbadmin';
/** The handler's "now" (lib/clock.ts, pinned below): the seeded totals are this week's on every run, whatever the date. */
const now = new Date('2026-03-18T12:00:00Z');
const week = bucketOf('week', now);

type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let leaderboard: Handle;
let feed: Handle;

const userIdOf = (i: number) => `usr_m${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  pinClock(now);
  table = await createTestTable('leaderboard-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  // The list handlers seal their page tokens (ADR 0010); any secret will do here.
  process.env.PAGE_TOKEN_SECRET ??= 'cost-test-page-token-secret';
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  await new UserRepository(seedClient, table).create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await new UserRepository(seedClient, table).create({ user_id: assistantCoach, display_name: 'Assistant' }, 'test');
  await new UserRepository(seedClient, table).create({ user_id: admin, display_name: 'Admin' }, 'test');
  await new OrganizationRepository(seedClient, table).create(
    { org_id: orgId, org_name: 'Leaderboard Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
    'test',
  );
  await new CoachRepository(seedClient, table).add(orgId, { user_id: assistantCoach, name: 'Assistant', role: 'assistant_coach' }, 'test');
  // Both accept their roles (privacy.md §8), as they would through PUT /users/me/memberships/{org_id}.
  await new ConsentRepository(seedClient, table).answer(headCoach, orgId, 'accepted');
  await new ConsentRepository(seedClient, table).answer(assistantCoach, orgId, 'accepted');
  seedClient.destroy();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const userId = userIdOf(i);
    items.push({
      pk: `USER#${userId}`,
      sk: 'PROFILE',
      entity: 'user',
      user_id: userId,
      display_name: `Member ${i}`,
      [totalAttribute('week', week, 'distance_m')]: 1000 + i,
      [totalAttribute('week', week, 'moving_time_s')]: 300 + i,
      [totalAttribute('week', week, 'count')]: 1,
      ...memberTieAttributes(orgId, {
        ...acceptedInvitation(headCoach, '2026-01-01T00:00:00Z'),
        status: 'active',
        head_coach_user_id: headCoach,
      }),
    });
    items.push({
      pk: `ORG#${orgId}`,
      sk: `MEMBER#${userId}`,
      entity: 'member',
      org_id: orgId,
      user_id: userId,
      status: 'active',
      consent: 'accepted',
      labels: [],
      joined_at: '2026-01-01T00:00:00Z',
      user_pk: `USER#${userId}`,
      user_sk: `ORG#${orgId}#MEMBER`,
    });
  }
  for (let i = 0; i < FEED_ENTRIES; i++) {
    const userId = userIdOf((i * 7) % MEMBERS);
    const start = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const activityId = `act_cost${String(i).padStart(5, '0')}`;
    items.push({
      pk: `FEED#${orgId}`,
      sk: `${start}#${activityId}`,
      entity: 'feed_entry',
      org_id: orgId,
      user_id: userId,
      activity_id: activityId,
      type: 'run',
      name: `Run ${i}`,
      start_time: start,
      distance_m: 5000,
      moving_time_s: 1500,
      created_at: start,
    });
  }
  const client = testDocumentClient();
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(
      batches.slice(i, i + 16).map(async (batch) => {
        let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending && pending.length > 0) {
          const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
          pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
        }
      }),
    );
  }
  ({ handle: leaderboard } = (await import('../../functions/leaderboard-get/handler')) as unknown as { handle: Handle });
  ({ handle: feed } = (await import('../../functions/feed-list/handler')) as unknown as { handle: Handle });
}, 120_000);

afterAll(() => {
  pinClock(undefined);
});

let counter: ReturnType<typeof countCalls>;
const principal = (userId: string) => ({ kind: 'user', user_id: userId, is_admin: userId === admin });
const calls = () => Object.fromEntries(counter.byCommand) as Record<string, number | undefined>;

describe('leaderboard cost on a 1,000-member organization', () => {
  it.each([
    ['the head coach', headCoach, 0, MEMBERS],
    ['an assistant coach', assistantCoach, 0, MEMBERS],
    ['a member', memberViewer, 0, MEMBERS],
    // Public to every athlete (no tie anywhere), and public sharing is off by default: an empty board.
    ['a platform admin with no tie here (their own profile joins the batch)', admin, 1, 0],
  ])('%s: ⌈N/100⌉ BatchGets + the roster Query pages, nothing else', async (_who, viewer, viewerKeys, visible) => {
    counter ??= countCalls(documentClient());
    counter.reset();
    const response = await leaderboard({
      params: { org_id: orgId },
      query: { metric: 'distance', period: 'week' },
      body: undefined,
      principal: principal(viewer as string),
      requestId: 'test',
    });
    expect(response.status).toBe(200);
    const body = response.body as { entries: { rank: number; user_id: string; value: number }[]; count: number };
    expect(body.count).toBe(visible);
    if (visible) expect(body.entries[0]).toMatchObject({ rank: 1, user_id: userIdOf(MEMBERS - 1), value: 1000 + MEMBERS - 1 });
    // The organization item sorts right after the members: N + 1 items in pages of 1,000.
    const rosterPages = Math.floor((MEMBERS + 1) / ROSTER_PAGE) + 1;
    expect(Object.keys(calls()).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(calls().QueryCommand).toBe(rosterPages);
    expect(calls().BatchGetItemCommand).toBe(Math.ceil((MEMBERS + (viewerKeys as number)) / 100));
    // Measured: 12 calls (2 Query + 10 BatchGet) for the head coach, an assistant coach and a member.
    expect(counter.total()).toBe(Math.ceil((MEMBERS + (viewerKeys as number)) / 100) + rosterPages);
  });
});

describe('feed page cost whatever the organization size', () => {
  it.each([
    ['the head coach', headCoach],
    ['a member', memberViewer],
  ])('%s: one Query + ⌈(D + 2)/100⌉ BatchGets, nothing else', async (_who, viewer) => {
    counter ??= countCalls(documentClient());
    counter.reset();
    const response = await feed({
      params: { org_id: orgId },
      query: { limit: 100 },
      body: undefined,
      principal: principal(viewer as string),
      requestId: 'test',
    });
    expect(response.status).toBe(200);
    const body = response.body as { activities: { user_id: string; start_time: string }[]; count: number; next_token?: string };
    expect(body.count).toBe(100);
    expect(body.next_token).toEqual(expect.any(String));
    const starts = body.activities.map((a) => a.start_time);
    expect(starts).toEqual([...starts].sort().reverse());
    const owners = new Set(body.activities.map((a) => a.user_id));
    // The organization item, and the viewer's profile unless they own an entry of the page.
    const keys = 1 + owners.size + (owners.has(viewer as string) ? 0 : 1);
    expect(Object.keys(calls()).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(calls().QueryCommand).toBe(1);
    expect(calls().BatchGetItemCommand).toBe(Math.ceil(keys / 100));
    expect(counter.total()).toBe(1 + Math.ceil(keys / 100));
  });
});
