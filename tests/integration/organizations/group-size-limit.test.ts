import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { GROUP_MEMBER_LIMIT } from '../../../lib/repositories/group-repository';
import { keys } from '../../../lib/repositories/keys';
import { createTestTable, groupItem, memberItem, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';
import { proxyEvent } from '../../support/proxy-event';

/**
 * A training group holds at most GROUP_MEMBER_LIMIT members (ADR 0031). Its member list lives on the
 * group item, which DynamoDB caps at 400 KB: without the limit the add that crossed it failed inside
 * the transaction with a ValidationError, a 500 (~13,650 of our ids, ~3,100 of 128-character ones).
 * The group here is seeded one short of the limit, straight into the table.
 */
const orgId = 'org_grouplimit001';
const groupId = 'grp_grouplimit001';
const head = 'usr_grouplimithead';
const last = 'usr_grouplimitlast';
const over = 'usr_grouplimitover';
let table: string;

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;

const add = async (userId: string) => {
  const response = await handler(
    proxyEvent({
      method: 'POST',
      resource: '/api/v1/organizations/{org_id}/groups/{group_id}/members',
      pathParameters: { org_id: orgId, group_id: groupId },
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: userId }),
      authorizer: { kind: 'user', user_id: head, is_admin: 'false' },
    }),
    { functionName: 'group-members-add', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context,
  );
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
};

const read = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};

beforeAll(async () => {
  process.env.ASTRAL_QUIET = 'true';
  table = await createTestTable('group-limit');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  const fillers = Array.from({ length: GROUP_MEMBER_LIMIT - 1 }, (_, i) => `usr_glfill${String(i).padStart(6, '0')}`);
  await putItems(table, [
    { ...keys.organization(orgId), entity: 'organization', org_id: orgId, org_name: 'Limited Club', head_coach_user_id: head, coaches: [] },
    groupItem(orgId, groupId, fillers),
    ...[last, over].map((userId) => memberItem(orgId, userId)),
  ]);
  ({ handler } = (await import('../../../functions/group-members-add/handler')) as unknown as { handler: Handler });
});

test(`a group takes members up to ${GROUP_MEMBER_LIMIT}, then answers 409 naming user_id and writes nothing`, async () => {
  const filled = await add(last);
  expect([filled.status, (filled.body.group as { member_ids: string[] }).member_ids.length]).toEqual([201, GROUP_MEMBER_LIMIT]);

  const full = await add(over);
  expect(full).toEqual({
    status: 409,
    body: expect.objectContaining({
      code: 'conflict',
      message: `the group is full: a training group holds at most ${GROUP_MEMBER_LIMIT} members`,
      details: [{ path: 'user_id', message: `the group already holds ${GROUP_MEMBER_LIMIT} members` }],
    }),
  });
  // Neither half of the transaction: the group unchanged, the member item naming no group.
  expect((await read(keys.group(orgId, groupId))).member_ids.size).toBe(GROUP_MEMBER_LIMIT);
  expect((await read(keys.member(orgId, over))).group_ids).toBeUndefined();

  // Someone already in a full group is told that, not that the group is full.
  const again = await add(last);
  expect([again.status, again.body.message]).toEqual([409, 'user is already in this group']);
});
