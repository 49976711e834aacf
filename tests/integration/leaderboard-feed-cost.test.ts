import { bucketOf } from '../../lib/activities/period-totals';
import { pinClock } from '../../lib/clock';
import { totalAttribute } from '../../lib/repositories/period-totals';
import { boardEntryItem } from '../../lib/repositories/board-repository';
import { createDocumentClient, documentClient } from '../../lib/db/client';
import { CoachRepository } from '../../lib/repositories/coach-repository';
import { OrganizationRepository } from '../../lib/repositories/organization-repository';
import { ConsentRepository } from '../../lib/repositories/consent-repository';
import { acceptedInvitation, memberTieAttributes } from '../../lib/repositories/profile-ties';
import { UserRepository } from '../../lib/repositories/user-repository';
import { countCalls } from '../support/call-counter';
import { createTestTable, putItems, testDynamoDbEndpoint } from '../support/dynamodb';

/**
 * Leaderboard and feed reads on a 1,000-member organization (and the leaderboard on a 10-member one),
 * through the handlers' own path, with every DynamoDB call and read unit counted. Leaderboard page
 * (ADR 0013): ONE Query of the board's index and ⌈(n + 2)/100⌉ consistent BatchGets (the organization
 * item, the viewer's profile and the page's n athletes' profiles), whatever the organization's size;
 * a viewer who may see nobody costs at most three such rounds. Feed page: ONE feed Query and
 * ⌈(D + 2)/100⌉ BatchGets (the organization item, the viewer's profile and the D distinct owners'
 * profiles), nothing else.
 */
const MEMBERS = 1000;
const FEED_ENTRIES = 300;
/**
 * Every seventh member below the top 100 does not take part (`paticipate_leaderboard` off): skipped
 * without a gap. The top of the board is all visible, so the first pages compare like with like.
 */
const hidden = (i: number) => i % 7 === 3 && i < 900;
const VISIBLE = Array.from({ length: MEMBERS }, (_, i) => i).filter((i) => !hidden(i)).length;
let table: string;
const orgId = 'org_lbcostcheck01';
const smallOrgId = 'org_lbcostsmall01';
const SMALL = 10;
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
const smallUserIdOf = (i: number) => `usr_s${String(i).padStart(5, '0')}`;

/** A member as the API and the projector leave them: member item, profile (tie, totals) and this week's board entry. */
function memberItems(org: string, userId: string, i: number, privacy: Record<string, boolean>): Record<string, unknown>[] {
  const totals = { distance_m: 1000 + i, moving_time_s: 300 + i, count: 1 };
  return [
    {
      pk: `USER#${userId}`,
      sk: 'PROFILE',
      entity: 'user',
      user_id: userId,
      display_name: `Member ${i}`,
      privacy,
      [totalAttribute('week', week, 'distance_m')]: totals.distance_m,
      [totalAttribute('week', week, 'moving_time_s')]: totals.moving_time_s,
      [totalAttribute('week', week, 'count')]: totals.count,
      ...memberTieAttributes(org, {
        ...acceptedInvitation(headCoach, '2026-01-01T00:00:00Z'),
        status: 'active',
        head_coach_user_id: headCoach,
      }),
    },
    {
      pk: `ORG#${org}`,
      sk: `MEMBER#${userId}`,
      entity: 'member',
      org_id: org,
      user_id: userId,
      status: 'active',
      consent: 'accepted',
      labels: [],
      joined_at: '2026-01-01T00:00:00Z',
      user_pk: `USER#${userId}`,
      user_sk: `ORG#${org}#MEMBER`,
    },
    boardEntryItem(userId, { orgId: org, scope: {}, period: 'week', bucket: week }, totals),
  ];
}

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
  for (const [org, name] of [
    [orgId, 'Leaderboard Club'],
    [smallOrgId, 'Small Club'],
  ]) {
    await new OrganizationRepository(seedClient, table).create(
      { org_id: org as string, org_name: name as string, head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
      'test',
    );
    // The head coach accepts (privacy.md §8), as through PUT /users/me/memberships/{org_id}.
    await new ConsentRepository(seedClient, table).answer(headCoach, org as string, 'accepted');
  }
  await new CoachRepository(seedClient, table).add(orgId, { user_id: assistantCoach, name: 'Assistant', role: 'assistant_coach' }, 'test');
  await new ConsentRepository(seedClient, table).answer(assistantCoach, orgId, 'accepted');
  seedClient.destroy();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < MEMBERS; i++) items.push(...memberItems(orgId, userIdOf(i), i, hidden(i) ? { paticipate_leaderboard: false } : {}));
  for (let i = 0; i < SMALL; i++) items.push(...memberItems(smallOrgId, smallUserIdOf(i), i, {}));
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
  await putItems(table, items);
  ({ handle: leaderboard } = (await import('../../functions/leaderboard-get/handler')) as unknown as { handle: Handle });
  ({ handle: feed } = (await import('../../functions/feed-list/handler')) as unknown as { handle: Handle });
});

afterAll(() => {
  pinClock(undefined);
});

let counter: ReturnType<typeof countCalls>;
const principal = (userId: string) => ({ kind: 'user', user_id: userId, is_admin: userId === admin });
const calls = () => Object.fromEntries(counter.byCommand) as Record<string, number | undefined>;

type BoardBody = { entries: { rank: number; user_id: string; value: number }[]; count: number; next_token?: string };

async function boardPage(viewer: string, query: Record<string, unknown>, org = orgId): Promise<BoardBody> {
  counter ??= countCalls(documentClient());
  counter.reset();
  const response = await leaderboard({
    params: { org_id: org },
    query: { metric: 'distance', period: 'week', limit: 50, ...query },
    body: undefined,
    principal: principal(viewer),
    requestId: 'test',
  });
  expect(response.status).toBe(200);
  return response.body as BoardBody;
}

/** The best visible member: the highest index that takes part. */
const best = Array.from({ length: MEMBERS }, (_, i) => MEMBERS - 1 - i).find((i) => !hidden(i)) ?? 0;

describe('leaderboard page cost, whatever the organization size', () => {
  it.each([
    ['the head coach', headCoach],
    ['an assistant coach', assistantCoach],
    ['a member', memberViewer],
  ])('%s: one board Query + one BatchGet for a page of 50 of 1,000 members', async (_who, viewer) => {
    const body = await boardPage(viewer as string, {});
    expect(body.count).toBe(50);
    expect(body.entries[0]).toMatchObject({ rank: 1, user_id: userIdOf(best), value: 1000 + best });
    expect(body.entries.map((e) => e.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(body.next_token).toEqual(expect.any(String));
    expect(Object.keys(calls()).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(calls()).toEqual({ QueryCommand: 1, BatchGetItemCommand: 1 });
  });

  it('a page of 10 costs the same calls, and within 1.2× the read units, on 1,000 members as on 10', async () => {
    const small = await boardPage(headCoach, { limit: 10 }, smallOrgId);
    const smallCalls = counter.total();
    const smallUnits = counter.readUnits();
    const large = await boardPage(headCoach, { limit: 10 });
    expect([small.count, large.count]).toEqual([10, 10]);
    expect(counter.total()).toBe(smallCalls);
    expect(smallUnits).toBeGreaterThan(0);
    expect(counter.readUnits()).toBeLessThanOrEqual(smallUnits * 1.2);
  });

  it('a platform admin with no tie here sees nobody (public sharing is off by default), in at most three rounds', async () => {
    const body = await boardPage(admin, {});
    expect(body.count).toBe(0);
    // Bounded: three rounds of one Query and one BatchGet, then a token to go on.
    expect(calls()).toEqual({ QueryCommand: 3, BatchGetItemCommand: 3 });
    expect(body.next_token).toEqual(expect.any(String));
  });

  it('paging through the board gives every athlete who takes part once, ranked 1..V without gaps, in at most two rounds a page', async () => {
    const seen: { rank: number; user_id: string }[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await boardPage(headCoach, { limit: 97, ...(token ? { next_token: token } : {}) });
      // A page that met hidden athletes reads one more, larger, round; never a third here.
      expect(calls().QueryCommand).toBeLessThanOrEqual(2);
      expect(calls().BatchGetItemCommand).toBe(calls().QueryCommand);
      seen.push(...body.entries);
      token = body.next_token;
      pages += 1;
    } while (token && pages < 50);
    expect(seen.map((e) => e.rank)).toEqual(Array.from({ length: VISIBLE }, (_, i) => i + 1));
    expect(new Set(seen.map((e) => e.user_id)).size).toBe(VISIBLE);
    expect(seen.some((e) => hidden(Number(e.user_id.slice(5))))).toBe(false);
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
