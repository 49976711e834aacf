import { nowIso } from '../clock';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { batchGetItems } from './batch-get';
import { isConditionalCheckFailure } from './dynamo-errors';
import { stringsOf } from './item';
import { keys } from './keys';
import { MEMBER_GROUPS_ATTRIBUTE } from './table-design';
import { type NamedItem, transactNamed } from './transact';

/** The group item of a live group (a deleted group is a tombstone). */
export const LIVE_GROUP = 'attribute_exists(pk) AND #status <> :removed';
export const LIVE_GROUP_NAMES = { '#status': 'status' };
export const LIVE_GROUP_VALUES = { ':removed': 'removed' };

/**
 * The update that takes a user out of one group (`DELETE` from the string set), conditioned on the
 * group being live and holding them, so taking them out twice is a clean failure, never a second audit event.
 */
export function leaveGroupUpdate(table: string, orgId: string, groupId: string, userId: string, actorId: string, now: string) {
  return {
    TableName: table,
    Key: keys.group(orgId, groupId),
    UpdateExpression: 'DELETE member_ids :ids SET updated_at = :now, last_actor_id = :actor',
    ConditionExpression: `${LIVE_GROUP} AND contains(member_ids, :user)`,
    ExpressionAttributeNames: LIVE_GROUP_NAMES,
    ExpressionAttributeValues: { ...LIVE_GROUP_VALUES, ':ids': new Set([userId]), ':user': userId, ':now': now, ':actor': actorId },
  };
}

/** The member item's update that records (`ADD`) or forgets (`DELETE`) one group of theirs. */
export function memberGroupUpdate(table: string, orgId: string, userId: string, groupId: string, action: 'ADD' | 'DELETE') {
  return {
    TableName: table,
    Key: keys.member(orgId, userId),
    UpdateExpression: `${action} #groups :group`,
    // Never creates an item: an update of a missing key would write a member with nothing but its groups.
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#groups': MEMBER_GROUPS_ATTRIBUTE },
    ExpressionAttributeValues: { ':group': new Set([groupId]) },
  };
}

/** A deleted group's id taken off one member item (a member already gone, or forgetting it twice, is fine). */
export async function forgetGroup(client: DocumentClient, table: string, orgId: string, userId: string, groupId: string): Promise<void> {
  try {
    await client.send(new UpdateCommand(memberGroupUpdate(table, orgId, userId, groupId, 'DELETE')));
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
  }
}

/**
 * The groups the member item names (data-model pattern 12b): one strong GetItem of the member, not
 * the organization's groups, so its cost is the member's, whatever the club's size. Exact for every
 * live group (the two sides change in one transaction); a group deleted since may still be named.
 */
export async function groupsNamedBy(client: DocumentClient, table: string, orgId: string, userId: string): Promise<string[]> {
  const out = await client.send(
    new GetCommand({
      TableName: table,
      Key: keys.member(orgId, userId),
      ProjectionExpression: '#groups',
      ExpressionAttributeNames: { '#groups': MEMBER_GROUPS_ATTRIBUTE },
      ConsistentRead: true,
    }),
  );
  return stringsOf(out.Item?.[MEMBER_GROUPS_ATTRIBUTE]);
}

/**
 * The ids of the organization's live groups that hold the user: the groups the member names, each
 * confirmed on the group item itself (one strong BatchGet), strongly consistent because a removal
 * must see every one of them and must not name a group it could not leave (deleted, or left by a
 * retry or a race), whose failed condition would fail its transaction.
 */
export async function groupsHolding(client: DocumentClient, table: string, orgId: string, userId: string): Promise<string[]> {
  const named = await groupsNamedBy(client, table, orgId, userId);
  if (named.length === 0) return [];
  const groups = await batchGetItems(
    client,
    table,
    named.map((groupId) => keys.group(orgId, groupId)),
    { consistent: true },
  );
  return groups
    .filter((group) => group.status !== 'removed' && stringsOf(group.member_ids).includes(userId) && typeof group.group_id === 'string')
    .map((group) => String(group.group_id))
    .sort();
}

/** The name of a group's item in a transaction that takes the user out of it (any other name is not a group). */
export type GroupLeaveName = `group:${string}`;

/**
 * The exit from every group of the organization holding the user, for a caller's transaction with
 * `room` items left: the groups beyond `room` are left now, one conditional update each (already
 * left, by a retry or a race, is fine: never a second audit event), and the others come back as that
 * transaction's items, so the caller's own write (a tombstone, a declined tie) stays the last one and
 * a retry of an interrupted removal finds and finishes what is left. A failed `group:` item means the
 * group changed meanwhile: read again and retry.
 */
export async function leaveGroupsFor(
  client: DocumentClient,
  table: string,
  orgId: string,
  userId: string,
  actorId: string,
  room: number,
  now: string,
): Promise<NamedItem<GroupLeaveName>[]> {
  const groupIds = await groupsHolding(client, table, orgId, userId);
  for (const groupId of groupIds.slice(room)) {
    try {
      await client.send(new UpdateCommand(leaveGroupUpdate(table, orgId, groupId, userId, actorId, now)));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
  return groupIds.slice(0, room).map((groupId) => ({
    name: `group:${groupId}` as const,
    item: { Update: leaveGroupUpdate(table, orgId, groupId, userId, actorId, now) },
  }));
}

/** What recording one (group, member) pair did: recorded, already so (or changed meanwhile), or a leftover left. */
export type MemberGroupBackfillOutcome = 'recorded' | 'unchanged' | 'left';

/**
 * For the backfill (ADR 0028): the member item records a group that holds them, in one transaction
 * with a check that the group is live and still holds them, so it races group-members-remove safely;
 * a second run finds it recorded. A group holding a user whose membership has ended (a removal made
 * while the member items named no groups) loses them instead, as that removal would have done, in
 * the remover's name.
 */
export async function recordMemberGroup(
  client: DocumentClient,
  table: string,
  pair: { readonly org_id: string; readonly group_id: string; readonly user_id: string },
): Promise<MemberGroupBackfillOutcome> {
  const { org_id: orgId, group_id: groupId, user_id: userId } = pair;
  const records = memberGroupUpdate(table, orgId, userId, groupId, 'ADD');
  const failed = await transactNamed(client, [
    {
      name: 'group',
      item: {
        ConditionCheck: {
          TableName: table,
          Key: keys.group(orgId, groupId),
          ConditionExpression: `${LIVE_GROUP} AND contains(member_ids, :user)`,
          ExpressionAttributeNames: LIVE_GROUP_NAMES,
          ExpressionAttributeValues: { ...LIVE_GROUP_VALUES, ':user': userId },
        },
      },
    },
    {
      name: 'member',
      item: {
        Update: {
          ...records,
          // A live member that does not record the group yet (a second run finds nothing to do).
          ConditionExpression: 'attribute_exists(pk) AND #status <> :removed AND NOT contains(#groups, :id)',
          ExpressionAttributeNames: { ...records.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ...records.ExpressionAttributeValues, ':removed': 'removed', ':id': groupId },
        },
      },
    },
  ]);
  if (failed.size === 0) return 'recorded';
  if (failed.has('group')) return 'unchanged';
  const member = await client.send(new GetCommand({ TableName: table, Key: keys.member(orgId, userId), ConsistentRead: true }));
  if (member.Item && member.Item.status !== 'removed') return 'unchanged';
  const remover = typeof member.Item?.removed_by === 'string' ? member.Item.removed_by : BACKFILL_ACTOR;
  try {
    await client.send(new UpdateCommand(leaveGroupUpdate(table, orgId, groupId, userId, remover, nowIso())));
    return 'left';
  } catch (error) {
    if (isConditionalCheckFailure(error)) return 'unchanged';
    throw error;
  }
}

/** The actor of a leftover left when no tombstone names who removed the member (it has expired). */
export const BACKFILL_ACTOR = 'ops:backfill-group-index';
