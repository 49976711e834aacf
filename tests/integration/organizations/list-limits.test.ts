import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ORGANIZATION_COACH_LIMIT } from '../../../lib/repositories/coach-repository';
import { GROUP_MEMBER_LIMIT } from '../../../lib/repositories/group-repository';
import { keys } from '../../../lib/repositories/keys';
import { profileTieAttribute } from '../../../lib/repositories/profile-ties';
import { createTestTable, groupItem, memberItem, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';
import { call, invokeRoute, routeCalls, userPrincipal } from '../../support/invoke-route';

/**
 * Lists that live on one item are bounded (ADR 0031): a training group's members (on the group item)
 * and an organization's coaches (on the organization item). DynamoDB caps an item at 400 KB; without
 * the limits the add that crossed it failed inside its transaction with a ValidationError, a 500
 * (~13,650 of our user ids in a group, ~3,100 of 128-character ones), and every strong read of the
 * item grew with the list. Each list is seeded one short of its limit, straight into the table, and
 * filled through the function's handler.
 */
const orgId = 'org_listlimits001';
const groupId = 'grp_listlimits001';
const head = 'usr_listlimitshead';
const last = 'usr_listlimitslast';
const over = 'usr_listlimitsover';
let table: string;

const asHead = userPrincipal(head);

const read = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};

const fillers = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `usr_${prefix}${String(i).padStart(6, '0')}`);

beforeAll(async () => {
  process.env.ASTRAL_QUIET = 'true';
  table = await createTestTable('list-limits');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  const coaches = fillers(ORGANIZATION_COACH_LIMIT - 1, 'llcoach').map((user_id) => ({
    user_id,
    name: user_id,
    role: 'assistant_coach',
    consent: 'pending',
  }));
  await putItems(table, [
    { ...keys.organization(orgId), entity: 'organization', org_id: orgId, org_name: 'Limited Club', head_coach_user_id: head, coaches },
    groupItem(orgId, groupId, fillers(GROUP_MEMBER_LIMIT - 1, 'llfill')),
    ...[last, over].flatMap((userId) => [
      memberItem(orgId, userId),
      { ...keys.user(userId), entity: 'user', user_id: userId, display_name: userId },
    ]),
  ]);
});

test(`a group takes members up to ${GROUP_MEMBER_LIMIT}, then answers 409 naming user_id and writes nothing`, async () => {
  const add = (userId: string) =>
    invokeRoute('group-members-add', {
      method: 'POST',
      resource: '/organizations/{org_id}/groups/{group_id}/members',
      pathParameters: { org_id: orgId, group_id: groupId },
      body: { user_id: userId },
      authorizer: asHead,
    });
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

test(`an organization takes coaches up to ${ORGANIZATION_COACH_LIMIT} besides its head coach, then answers 409 naming user_id and writes nothing`, async () => {
  const add = (userId: string) => call(routeCalls.addCoach(orgId, userId, head));
  const filled = await add(last);
  expect(filled.status).toBe(201);
  expect((await read(keys.organization(orgId))).coaches).toHaveLength(ORGANIZATION_COACH_LIMIT);

  const full = await add(over);
  expect(full).toEqual({
    status: 409,
    body: expect.objectContaining({
      code: 'conflict',
      message: `the organization is full: it has at most ${ORGANIZATION_COACH_LIMIT} coaches besides its head coach`,
      details: [{ path: 'user_id', message: `the organization already has ${ORGANIZATION_COACH_LIMIT} coaches` }],
    }),
  });
  // None of the three writes: the list, the coach item, the coach's profile tie.
  expect((await read(keys.organization(orgId))).coaches).toHaveLength(ORGANIZATION_COACH_LIMIT);
  expect(await read(keys.coach(orgId, over))).toEqual({});
  expect((await read(keys.user(over)))[profileTieAttribute.coach(orgId)]).toBeUndefined();

  const again = await add(last);
  expect([again.status, again.body.message]).toEqual([409, 'user is already a coach of this organization']);
});
