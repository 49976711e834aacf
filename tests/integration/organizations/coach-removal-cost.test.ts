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
import { createTestTable, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * Removing a coach of a 1,000-member organization through the handler's own path (ADR 0027): the
 * members assigned to them are found through the `members-by-coach` index, so the removal reads the
 * same whatever the roster's size. It used to read the whole roster partition (~1,000 items).
 * Assigned here through the repository, as PUT …/members/{user_id} does; one assigned member is
 * removed afterwards, and its tombstone is neither listed nor written.
 */
const MEMBERS = 1000;
let table: string;
const orgId = 'org_coachcost0001';
const headCoach = 'usr_coachcosthead';
const coach = 'usr_coachcostcoach';
const userIdOf = (i: number) => `usr_c${String(i).padStart(5, '0')}`;
const ASSIGNED = [3, 400, 999].map(userIdOf);
const REMOVED = userIdOf(500);

type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let handle: Handle;

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
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  const users = new UserRepository(seedClient, table);
  await users.create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await users.create({ user_id: coach, display_name: 'Coach' }, 'test');
  await new OrganizationRepository(seedClient, table).create(
    { org_id: orgId, org_name: 'Big Coached Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
    'test',
  );
  await new CoachRepository(seedClient, table).add(orgId, { user_id: coach, name: 'Coach', role: 'assistant_coach' }, 'test');
  await new ConsentRepository(seedClient, table).answer(headCoach, orgId, 'accepted');
  await new ConsentRepository(seedClient, table).answer(coach, orgId, 'accepted');
  await seedRoster();
  const members = new MemberRepository(seedClient, table);
  for (const userId of [...ASSIGNED, REMOVED]) await members.update(orgId, userId, { assigned_coach_id: coach }, headCoach);
  await members.remove(orgId, REMOVED, headCoach);
  seedClient.destroy();
  ({ handle } = (await import('../../../functions/coaches-remove/handler')) as unknown as { handle: Handle });
}, 120000);

const memberItem = async (userId: string) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.member(orgId, userId), ConsistentRead: true }))).Item;

describe('coach removal on a 1,000-member organization', () => {
  it('reads the assignment index, not the roster: one Query, a few read units, one transaction per live assigned member', async () => {
    const counter = countCalls(documentClient());
    const response = await handle({
      params: { org_id: orgId, user_id: coach },
      query: {},
      body: undefined,
      principal: { kind: 'user', user_id: headCoach, is_admin: false },
      requestId: 'test',
    });
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
