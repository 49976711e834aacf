import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import { isConditionalCheckFailure } from './dynamo-errors';
import { conditionalPut, transactNamed, type TransactItem } from './transact';
import { GROUP_PREFIX, keys } from './keys';
import { stringsOf } from './item';
import { startFrom } from './page-start';
import type { Page } from './member-repository';
import { updateExpression } from './update-expression';
import { tombstoneUpdate } from './tombstone';
import { leaveGroupUpdate, LIVE_GROUP, LIVE_GROUP_NAMES, LIVE_GROUP_VALUES, memberGroupUpdate } from './group-membership';

export interface Group {
  readonly org_id: string;
  readonly group_id: string;
  readonly name: string;
  readonly description?: string;
  readonly member_ids: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
}

/** A patch: an absent (or undefined) field is left as it is; `null` clears the description. */
export interface GroupChange {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
}

function toGroup(item: Record<string, unknown>): Group {
  const members = stringsOf(item.member_ids);
  return {
    org_id: String(item.org_id),
    group_id: String(item.group_id),
    name: String(item.name),
    ...(typeof item.description === 'string' ? { description: item.description } : {}),
    member_ids: members.sort(),
    created_at: String(item.created_at),
    updated_at: String(item.updated_at),
  };
}

/** The group object of the API: `{group_id, name, description, member_ids}`. */
export function groupView(group: Group): Record<string, unknown> {
  return {
    group_id: group.group_id,
    name: group.name,
    ...(group.description !== undefined ? { description: group.description } : {}),
    member_ids: group.member_ids,
  };
}

/**
 * The most members one training group holds (ADR 0031). `member_ids` lives on the group item, which
 * DynamoDB caps at 400 KB (a user id may be 128 characters: ~3,100 of those would overflow it, and
 * the add failed as a 500), and every strong read of the group pays for its size, among them each
 * page of the group's leaderboard (1,000 of our 30-character ids: ~30 KB, 8 read units).
 */
export const GROUP_MEMBER_LIMIT = 1_000;

const LIVE = LIVE_GROUP;
const LIVE_NAMES = LIVE_GROUP_NAMES;
const LIVE_VALUES = LIVE_GROUP_VALUES;

/**
 * Training groups (GROUP#<id> items). `member_ids` is a string set changed with ADD/DELETE, so
 * concurrent membership changes never overwrite each other; deletion is a tombstone naming the actor.
 */
export class GroupRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** `record` turns the new group into an Idempotency-Key's record of the response, written with it (ADR 0011). */
  async create(
    orgId: string,
    input: { name: string; description?: string | undefined },
    actorId: string,
    record?: (group: Group) => TransactItem,
  ): Promise<Group> {
    const now = nowIso();
    const group: Group = {
      org_id: orgId,
      group_id: newId('grp'),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      member_ids: [],
      created_at: now,
      updated_at: now,
    };
    const { member_ids: _none, ...stored } = group;
    void _none;
    const put = {
      TableName: this.table,
      Item: { ...keys.group(orgId, group.group_id), entity: 'group', status: 'active', last_actor_id: actorId, ...stored },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    // Ids are random: a taken one is a collision that never happens, not a client error.
    if (!(await conditionalPut(this.client, put, record?.(group)))) throw new Error(`group id ${group.group_id} already taken`);
    return group;
  }

  /** Strongly consistent; a deleted group (tombstone) is absent. */
  async get(orgId: string, groupId: string): Promise<Group | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.group(orgId, groupId), ConsistentRead: true }));
    if (!out.Item || out.Item.status === 'removed') return undefined;
    return toGroup(out.Item);
  }

  async listPage(orgId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<Group>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status <> :removed',
        ExpressionAttributeNames: LIVE_NAMES,
        ExpressionAttributeValues: { ':pk': keys.organizationPartition(orgId), ':prefix': GROUP_PREFIX, ...LIVE_VALUES },
        Limit: limit,
        ...startFrom(startKey, {
          equals: { pk: keys.organizationPartition(orgId) },
          prefixes: { sk: GROUP_PREFIX },
          attributes: ['pk', 'sk'],
        }),
      }),
    );
    return { items: (out.Items ?? []).map(toGroup), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  async update(orgId: string, groupId: string, change: GroupChange, actorId: string): Promise<Group> {
    const set: Record<string, unknown> = { updated_at: nowIso(), last_actor_id: actorId };
    const remove: string[] = [];
    if (change.name !== undefined) set.name = change.name;
    if (change.description === null) remove.push('description');
    else if (change.description !== undefined) set.description = change.description;
    const { expression, names, values } = updateExpression(set, remove);
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.group(orgId, groupId),
          UpdateExpression: expression,
          ConditionExpression: LIVE,
          ExpressionAttributeNames: { ...names, ...LIVE_NAMES },
          ExpressionAttributeValues: { ...values, ...LIVE_VALUES },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toGroup(out.Attributes ?? {});
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new NotFoundError('group not found');
      throw error;
    }
  }

  async delete(orgId: string, groupId: string, actorId: string): Promise<void> {
    const now = nowIso();
    try {
      await this.client.send(new UpdateCommand(tombstoneUpdate(this.table, keys.group(orgId, groupId), actorId, now)));
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new NotFoundError('group not found');
      throw error;
    }
  }

  /**
   * One transaction: the user must be an active member of the organization, and the member item
   * records the group (ADR 0028) as the group gains them.
   */
  async addMember(orgId: string, groupId: string, userId: string, actorId: string): Promise<Group> {
    const joins = memberGroupUpdate(this.table, orgId, userId, groupId, 'ADD');
    const failed = await transactNamed(this.client, [
      {
        name: 'member',
        item: {
          Update: {
            ...joins,
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { ...joins.ExpressionAttributeNames, '#status': 'status' },
            ExpressionAttributeValues: { ...joins.ExpressionAttributeValues, ':active': 'active' },
          },
        },
      },
      {
        name: 'group',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.group(orgId, groupId),
            UpdateExpression: 'ADD member_ids :ids SET updated_at = :now, last_actor_id = :actor',
            ConditionExpression: `${LIVE} AND NOT contains(member_ids, :user) AND (attribute_not_exists(member_ids) OR size(member_ids) < :limit)`,
            ExpressionAttributeNames: LIVE_NAMES,
            ExpressionAttributeValues: {
              ...LIVE_VALUES,
              ':ids': new Set([userId]),
              ':user': userId,
              ':limit': GROUP_MEMBER_LIMIT,
              ':now': nowIso(),
              ':actor': actorId,
            },
          },
        },
      },
    ]);
    if (failed.has('group')) return this.notAdded(orgId, groupId, userId);
    if (failed.has('member'))
      throw new ValidationError('user is not an active member of this organization', [
        { path: 'user_id', message: 'not an active member' },
      ]);
    const group = await this.get(orgId, groupId);
    if (!group) throw new NotFoundError('group not found');
    return group;
  }

  /** One transaction: the group loses the user as their member item forgets the group (ADR 0028). */
  async removeMember(orgId: string, groupId: string, userId: string, actorId: string): Promise<void> {
    const leave = leaveGroupUpdate(this.table, orgId, groupId, userId, actorId, nowIso());
    const failed = await transactNamed(this.client, [
      { name: 'group', item: { Update: leave } },
      { name: 'member', item: { Update: memberGroupUpdate(this.table, orgId, userId, groupId, 'DELETE') } },
    ]);
    if (failed.has('group')) return this.notHolding(orgId, groupId);
    if (!failed.has('member')) return;
    // A group holding a user who has no member item (an item written by hand): the group alone.
    try {
      await this.client.send(new UpdateCommand(leave));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return this.notHolding(orgId, groupId);
    }
  }

  /** Why the group refused a member: gone, holding them already, or full. */
  private async notAdded(orgId: string, groupId: string, userId: string): Promise<never> {
    const group = await this.get(orgId, groupId);
    if (!group) throw new NotFoundError('group not found');
    if (group.member_ids.includes(userId))
      throw new ConflictError('user is already in this group', [{ path: 'user_id', message: 'already in the group' }]);
    throw new ConflictError(`the group is full: a training group holds at most ${GROUP_MEMBER_LIMIT} members`, [
      { path: 'user_id', message: `the group already holds ${GROUP_MEMBER_LIMIT} members` },
    ]);
  }

  private async notHolding(orgId: string, groupId: string): Promise<never> {
    throw new NotFoundError((await this.get(orgId, groupId)) ? 'user is not in this group' : 'group not found');
  }
}
