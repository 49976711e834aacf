import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { GROUP_PREFIX, keys } from './keys';
import type { NamedItem } from './transact';

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

/**
 * The ids of the organization's live groups that hold the user: the GROUP# range of its partition,
 * filtered (data-model pattern 12), strongly consistent because a removal must see every one of them.
 */
export async function groupsHolding(client: DocumentClient, table: string, orgId: string, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status <> :removed AND contains(member_ids, :user)',
        ExpressionAttributeNames: LIVE_GROUP_NAMES,
        ExpressionAttributeValues: {
          ':pk': keys.organizationPartition(orgId),
          ':prefix': GROUP_PREFIX,
          ':user': userId,
          ...LIVE_GROUP_VALUES,
        },
        ProjectionExpression: 'group_id',
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of out.Items ?? []) if (typeof item.group_id === 'string') ids.push(item.group_id);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return ids;
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
