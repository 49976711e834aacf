import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { keys } from '../../../lib/repositories/keys';
import { indexMemberAssignment, MemberRepository } from '../../../lib/repositories/member-repository';
import { INDEXES, TABLE_DESIGN } from '../../../lib/repositories/table-design';
import { addMissingIndexes } from '../../../local/table';
import { backfillAssignmentIndex } from '../../../ops/assignment-index-backfill';
import { createTestTable, testDocumentClient, testDynamoDbClient } from '../../support/dynamodb';

/**
 * ADR 0027 on a table written before the `members-by-coach` index existed: the backfill gives each
 * live assigned member its index key (and nothing else), so the coach's removal finds them; removed
 * and unassigned members are left alone; a second run changes nothing. And a local table created
 * before the index gains it when `npm start` next opens it.
 */
let table: string;
const orgId = 'org_assignfill001';
const coach = 'usr_assignfillcoach';

/** A member item as the code before the index wrote it: the assignment without the index key. */
const putLegacyMember = (userId: string, extra: Record<string, unknown>) =>
  testDocumentClient().send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.member(orgId, userId),
        ...keys.memberByUser(orgId, userId),
        entity: 'member',
        org_id: orgId,
        user_id: userId,
        status: 'active',
        consent: 'accepted',
        labels: [],
        joined_at: '2026-01-01T00:00:00Z',
        last_actor_id: 'usr_assignfillhead',
        ...extra,
      },
    }),
  );
const stored = async (userId: string) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.member(orgId, userId), ConsistentRead: true }))).Item;

beforeAll(async () => {
  table = await createTestTable('assign-backfill');
  await putLegacyMember('usr_assigned0001', { assigned_coach_id: coach });
  await putLegacyMember('usr_assigned0002', { assigned_coach_id: coach, status: 'inactive' });
  await putLegacyMember('usr_removed00001', { assigned_coach_id: coach, status: 'removed' });
  await putLegacyMember('usr_unassigned01', {});
});

describe('backfill of the assignment index', () => {
  it('indexes the live assigned members only, changes nothing else, and a second run finds nothing to do', async () => {
    const members = new MemberRepository(testDocumentClient(), table);
    expect(await members.listAssignedTo(orgId, coach)).toEqual([]);
    const before = await stored('usr_assigned0001');

    expect(await backfillAssignmentIndex(testDocumentClient(), table)).toEqual({ indexed: 2, unchanged: 0 });
    expect((await members.listAssignedTo(orgId, coach)).sort()).toEqual(['usr_assigned0001', 'usr_assigned0002']);
    const { assigned_pk, ...rest } = (await stored('usr_assigned0001')) ?? {};
    expect(assigned_pk).toBe(`ORG#${orgId}#COACH#${coach}`);
    expect(rest).toEqual(before);
    expect((await stored('usr_removed00001'))?.assigned_pk).toBeUndefined();
    expect((await stored('usr_unassigned01'))?.assigned_pk).toBeUndefined();

    expect(await backfillAssignmentIndex(testDocumentClient(), table)).toEqual({ indexed: 0, unchanged: 0 });
  });

  it('leaves a member whose assignment changed between the Scan and the write', async () => {
    // As the Scan saw it: assigned to the coach, no key. The API has since reassigned the member.
    const other = 'usr_othercoach01';
    await putLegacyMember('usr_assigned0003', { assigned_coach_id: other, ...keys.assignment(orgId, other) });
    const seen = { org_id: orgId, user_id: 'usr_assigned0003', assigned_coach_id: coach };
    expect(await indexMemberAssignment(testDocumentClient(), table, seen)).toBe('unchanged');
    expect((await stored('usr_assigned0003'))?.assigned_pk).toBe(`ORG#${orgId}#COACH#${other}`);
  });
});

describe('a local table from before the index', () => {
  it('gains the missing index when it is opened again, and only once', async () => {
    const name = `pre-index-${process.pid}-${randomBytes(4).toString('hex')}`;
    const client = testDynamoDbClient();
    // Created as the design before the assignment index: every index but that one.
    const older = TABLE_DESIGN.indexes.filter((index) => index.name !== INDEXES.membersByCoach);
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set(['pk', 'sk', ...older.flatMap((index) => [index.partitionKey, index.sortKey])])].map(
          (AttributeName) => ({
            AttributeName,
            AttributeType: 'S',
          }),
        ),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: older.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    // What createTable does on an existing table before it waits for the new index to be ACTIVE.
    // (DynamoDB Local activates it in ~1 s when idle, but took over 120 s under a full test run's load:
    // the wait itself is not what is tested here.)
    expect(await addMissingIndexes(client, name)).toEqual([INDEXES.membersByCoach]);
    const described = await client.send(new DescribeTableCommand({ TableName: name }));
    const added = described.Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === INDEXES.membersByCoach);
    expect(added).toMatchObject({
      KeySchema: [
        { AttributeName: 'assigned_pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(described.Table?.GlobalSecondaryIndexes).toHaveLength(TABLE_DESIGN.indexes.length);
    expect(await addMissingIndexes(client, name)).toEqual([]);
  });
});
