import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { pinClock } from '../../../lib/clock';
import { createDocumentClient, documentClient } from '../../../lib/db/client';
import { LeaderboardProjector } from '../../../lib/leaderboards/leaderboard-projector';
import { GroupRepository } from '../../../lib/repositories/group-repository';
import { keys } from '../../../lib/repositories/keys';
import { totalAttribute } from '../../../lib/repositories/period-totals';
import { acceptedInvitation, memberTieAttributes } from '../../../lib/repositories/profile-ties';
import { countCalls } from '../../support/call-counter';
import { userRequest } from '../../support/handler-request';
import { streamRecord } from '../../support/stream-record';
import { boardEntriesOf, createTestTable, groupItem, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * "The groups holding a member" in an organization of 100 training groups of 150 athletes each
 * (ADR 0028): the leaderboard projector (on every activity) and a member's removal read the
 * member item's own list of its groups, so they cost the member's groups, not the club's. Both used to
 * Query every group of the organization, each carrying its member list (~43 read units here, 203 at
 * 200 × 200). Two athletes (one for each test, so neither depends on the other) are each in two live
 * groups and in a third deleted since, whose id their member items keep until the projector follows
 * the group's tombstone.
 */
const NOW = new Date('2026-03-18T12:00:00Z');
const WEEK = '2026-W12';
const GROUPS = 100;
const FILLERS = 150;
const orgId = 'org_groupcost0001';
const head = 'usr_groupcosthead';
const athlete = 'usr_groupcostathl';
const leaver = 'usr_groupcostleav';
const groupIdOf = (i: number) => `grp_gc${String(i).padStart(4, '0')}`;
const HELD = [groupIdOf(7), groupIdOf(70)];
const DELETED = groupIdOf(42);
let table: string;

type Image = Record<string, unknown>;
type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;

const memberTie = { ...acceptedInvitation(head, '2026-01-01T00:00:00Z'), status: 'active', head_coach_user_id: head };
const profile = (distance: number, userId = athlete): Image => ({
  ...keys.user(userId),
  entity: 'user',
  user_id: userId,
  display_name: 'Grouped Athlete',
  ...memberTieAttributes(orgId, memberTie),
  [totalAttribute('week', WEEK, 'distance_m')]: distance,
  [totalAttribute('week', WEEK, 'count')]: distance > 0 ? 1 : 0,
});

const record = (keyOf: Record<string, string>, before: Image, after: Image, sequence: string): DynamoDBRecord =>
  streamRecord('MODIFY', keyOf, before, after, sequence, NOW);

const boardsOf = async (userId: string): Promise<string[]> => (await boardEntriesOf(table, userId)).map((item) => String(item.sk));

const groupOf = (groupId: string) =>
  testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.group(orgId, groupId), ConsistentRead: true }));

beforeAll(async () => {
  pinClock(NOW);
  table = await createTestTable('group-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  const fillers = Array.from({ length: FILLERS }, (_, i) => `usr_gf${String(i).padStart(5, '0')}`);
  const items: Image[] = [
    { ...keys.organization(orgId), entity: 'organization', org_id: orgId, org_name: 'Grouped Club', head_coach_user_id: head, coaches: [] },
    ...[athlete, leaver].flatMap((userId) => [
      profile(0, userId),
      { ...keys.member(orgId, userId), entity: 'member', org_id: orgId, user_id: userId, status: 'active', consent: 'accepted' },
    ]),
  ];
  for (let i = 0; i < GROUPS; i++) {
    const groupId = groupIdOf(i);
    items.push(groupItem(orgId, groupId, fillers));
  }
  await putItems(table, items);
  // Through the repository, as group-members-add and groups-delete write them.
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  const groups = new GroupRepository(seedClient, table);
  for (const userId of [athlete, leaver]) for (const groupId of [...HELD, DELETED]) await groups.addMember(orgId, groupId, userId, head);
  await groups.delete(orgId, DELETED, head);
  seedClient.destroy();
});

afterAll(() => pinClock(undefined));

describe('the groups holding a member, in 100 groups of 150', () => {
  const client = () => createDocumentClient(testDynamoDbEndpoint());

  it("the projector reads one member item per activity and writes the boards of the member's groups", async () => {
    const projectorClient = client();
    const counter = countCalls(projectorClient);
    const projector = new LeaderboardProjector(projectorClient, table);
    await projector.project(record(keys.user(athlete), profile(0), profile(5_000), '100'));
    expect(counter.byCommand.get('GetItemCommand')).toBe(1);
    expect(counter.byCommand.get('QueryCommand')).toBeUndefined();
    // One strong read of a small member item; the organization's groups were ~43 units.
    expect(counter.readUnits()).toBeLessThanOrEqual(1);
    const week = (scope: { groupId?: string }) => keys.board(orgId, scope, 'week', WEEK);
    const boards = await boardsOf(athlete);
    for (const groupId of [...HELD, DELETED]) expect(boards).toContain(week({ groupId }));
    expect(boards).toContain(week({}));

    // The deleted group's tombstone reaches the projector: its entries go, and its id leaves the member.
    const tombstone = (await groupOf(DELETED)).Item ?? {};
    const live = { ...tombstone, status: 'active' };
    await projector.project(record(keys.group(orgId, DELETED), live, tombstone, '101'));
    expect((await boardsOf(athlete)).filter((sk) => sk.includes(DELETED))).toEqual([]);
    await projector.project(record(keys.user(athlete), profile(5_000), profile(9_000), '102'));
    expect((await boardsOf(athlete)).filter((sk) => sk.includes(DELETED))).toEqual([]);
    projectorClient.destroy();
  });

  it('a removal reads the member item and its groups only, and leaves exactly those', async () => {
    // Still named, as before the projector follows the tombstone: the removal must skip it.
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: keys.member(orgId, leaver),
        UpdateExpression: 'ADD group_ids :deleted',
        ExpressionAttributeValues: { ':deleted': new Set([DELETED]) },
      }),
    );
    const { handle } = (await import('../../../functions/members-remove/handler')) as unknown as { handle: Handle };
    const counter = countCalls(documentClient());
    const response = await handle(userRequest(head, { org_id: orgId, user_id: leaver }));
    expect(response.status).toBe(200);
    // The organization, the member's groups and those groups (2 live of 150 members: ~1 unit each strongly).
    expect(counter.byCommand.get('QueryCommand')).toBeUndefined();
    expect(counter.readUnits()).toBeLessThanOrEqual(6);
    for (const groupId of HELD) expect([...((await groupOf(groupId)).Item?.member_ids ?? [])]).not.toContain(leaver);
    // The deleted group's tombstone is not written again.
    expect((await groupOf(DELETED)).Item).toMatchObject({ status: 'removed', last_actor_id: head });
    const member = (
      await testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.member(orgId, leaver), ConsistentRead: true }))
    ).Item;
    expect(member).toMatchObject({ status: 'removed' });
    expect(member?.group_ids).toBeUndefined();
  });
});
