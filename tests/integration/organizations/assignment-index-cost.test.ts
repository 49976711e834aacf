import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, documentClient } from '../../../lib/db/client';
import { CoachRepository } from '../../../lib/repositories/coach-repository';
import { ConsentRepository } from '../../../lib/repositories/consent-repository';
import { keys } from '../../../lib/repositories/keys';
import { MemberRepository } from '../../../lib/repositories/member-repository';
import { OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { acceptedInvitation, memberTieAttributes } from '../../../lib/repositories/profile-ties';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { countCalls } from '../../support/call-counter';
import { userRequest } from '../../support/handler-request';
import { createTestTable, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * A coach's assigned athletes in a 1,000-member organization, through the handlers' own paths
 * (ADR 0027): the members list filtered on the coach, and the coach's removal, both read the
 * `members-by-coach` index, so they cost the same whatever the roster's size. Both used to read the
 * whole roster partition (~1,000 items): the list a page of `limit` members at a time, most pages
 * empty, the removal all of it. Assigned here through the repository, as PUT …/members/{user_id}
 * does; one assigned member is removed afterwards, and its tombstone is neither listed nor written.
 * Two coaches, so neither test changes what the other reads.
 */
const MEMBERS = 1000;
let table: string;
const orgId = 'org_coachcost0001';
const headCoach = 'usr_coachcosthead';
const coach = 'usr_coachcostcoach';
const listedCoach = 'usr_coachcostlisted';
const userIdOf = (i: number) => `usr_c${String(i).padStart(5, '0')}`;
const ASSIGNED = [3, 400, 999].map(userIdOf);
const REMOVED = userIdOf(500);
const LISTED = [7, 250, 998].map(userIdOf);
const LISTED_REMOVED = userIdOf(501);

type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let removeCoach: Handle;
let listMembers: Handle;

async function seedRoster(): Promise<void> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const userId = userIdOf(i);
    const tie = { ...acceptedInvitation(headCoach, '2026-01-01T00:00:00Z'), status: 'active', head_coach_user_id: headCoach };
    items.push({ ...keys.user(userId), entity: 'user', user_id: userId, display_name: `Member ${i}`, ...memberTieAttributes(orgId, tie) });
    items.push({
      ...keys.member(orgId, userId),
      ...keys.memberByUser(orgId, userId),
      entity: 'member',
      org_id: orgId,
      user_id: userId,
      athlete_name: `Member ${i}`,
      status: 'active',
      consent: 'accepted',
      labels: [],
      joined_at: '2026-01-01T00:00:00Z',
    });
  }
  await putItems(table, items);
}

beforeAll(async () => {
  table = await createTestTable('coach-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  // The list handlers seal their page tokens (ADR 0010); any secret will do here.
  process.env.PAGE_TOKEN_SECRET ??= 'cost-test-page-token-secret';
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  const users = new UserRepository(seedClient, table);
  await users.create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await users.create({ user_id: coach, display_name: 'Coach' }, 'test');
  await users.create({ user_id: listedCoach, display_name: 'Listed Coach' }, 'test');
  await new OrganizationRepository(seedClient, table).create(
    { org_id: orgId, org_name: 'Big Coached Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
    'test',
  );
  await new ConsentRepository(seedClient, table).answer(headCoach, orgId, 'accepted');
  for (const [userId, name] of [
    [coach, 'Coach'],
    [listedCoach, 'Listed Coach'],
  ] as const) {
    await new CoachRepository(seedClient, table).add(orgId, { user_id: userId, name, role: 'assistant_coach' }, 'test');
    await new ConsentRepository(seedClient, table).answer(userId, orgId, 'accepted');
  }
  await seedRoster();
  const members = new MemberRepository(seedClient, table);
  for (const userId of [...ASSIGNED, REMOVED]) await members.update(orgId, userId, { assigned_coach_id: coach }, headCoach);
  for (const userId of [...LISTED, LISTED_REMOVED]) await members.update(orgId, userId, { assigned_coach_id: listedCoach }, headCoach);
  await members.remove(orgId, REMOVED, headCoach);
  await members.remove(orgId, LISTED_REMOVED, headCoach);
  seedClient.destroy();
  ({ handle: removeCoach } = (await import('../../../functions/coaches-remove/handler')) as unknown as { handle: Handle });
  ({ handle: listMembers } = (await import('../../../functions/members-list/handler')) as unknown as { handle: Handle });
});

let counter: ReturnType<typeof countCalls> | undefined;
/** One counter on the handlers' shared client (a second would be a duplicate middleware), reset per test. */
function callCounter(): ReturnType<typeof countCalls> {
  counter ??= countCalls(documentClient());
  counter.reset();
  return counter;
}

const memberItem = async (userId: string) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.member(orgId, userId), ConsistentRead: true }))).Item;

describe("a coach's athletes on a 1,000-member organization", () => {
  it('the members list filtered on the coach is one page from the index: one Query, a few read units, no next_token', async () => {
    const counter = callCounter();
    const response = await listMembers(userRequest(headCoach, { org_id: orgId }, { limit: 50, assigned_to_coach_id: listedCoach }));
    expect(response.status).toBe(200);
    const body = response.body as { members: { user_id: string; assigned_coach_id?: string }[]; count: number; next_token?: string };
    // All three in the first page, in the roster's order; the removed one not at all.
    expect(body.members.map((m) => m.user_id)).toEqual(LISTED);
    expect(body.members.every((m) => m.assigned_coach_id === listedCoach)).toBe(true);
    expect(body.members.some((m) => 'assigned_pk' in m)).toBe(false);
    expect(Object.fromEntries(counter.byCommand)).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
    // The organization item strongly (1) and three member items from the index (0.5). The roster
    // partition read 50 members a page and found the three over 20 pages, most of them empty.
    expect(counter.readUnits()).toBeLessThanOrEqual(2);
    expect(body.next_token).toBeUndefined();
  });

  it('pages through the index with next_token, and refuses a token of the unfiltered roster on it', async () => {
    const page = (query: Record<string, unknown>) =>
      listMembers(userRequest(headCoach, { org_id: orgId }, query)).then(
        (response) => response.body as { members: { user_id: string }[]; next_token?: string },
        (error: { name?: string }) => String(error.name),
      );
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const body = await page({ limit: 2, assigned_to_coach_id: listedCoach, ...(token ? { next_token: token } : {}) });
      if (typeof body === 'string') throw new Error(body);
      seen.push(...body.members.map((m) => m.user_id));
      token = body.next_token;
    } while (token);
    expect(seen).toEqual(LISTED);
    const roster = await page({ limit: 2 });
    const rosterToken = typeof roster === 'string' ? undefined : roster.next_token;
    expect(rosterToken).toBeDefined();
    expect(await page({ limit: 2, assigned_to_coach_id: listedCoach, next_token: rosterToken })).toBe('InvalidPageTokenError');
  });

  it("the coach's removal reads the assignment index, not the roster: one Query, a few read units, one transaction per live assigned member", async () => {
    const counter = callCounter();
    const response = await removeCoach(userRequest(headCoach, { org_id: orgId, user_id: coach }));
    expect(response.status).toBe(200);
    const calls = Object.fromEntries(counter.byCommand);
    // The organization (authorization), the index Query, a transaction per assigned member and the coach's own.
    expect(calls).toEqual({ GetItemCommand: 1, QueryCommand: 1, TransactWriteItemsCommand: ASSIGNED.length + 1 });
    // The organization item strongly (1) and three keys from the index (0.5). The roster partition was ~60.
    expect(counter.readUnits()).toBeLessThanOrEqual(2);
    for (const userId of ASSIGNED) {
      const item = await memberItem(userId);
      expect(item?.assigned_coach_id).toBeUndefined();
      expect(item?.assigned_pk).toBeUndefined();
    }
    // The removed member's tombstone left the index when it was written, and is not touched again.
    const tombstone = await memberItem(REMOVED);
    expect(tombstone).toMatchObject({ status: 'removed', assigned_coach_id: coach, last_actor_id: headCoach });
    expect(tombstone?.assigned_pk).toBeUndefined();
  });
});
