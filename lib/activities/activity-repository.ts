import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { NotFoundError } from '../errors';
import { isConditionalCheckFailure } from '../repositories/dynamo-errors';
import type { Activity } from './activity';

/** Pure key builders: activities live in their owner's partition, sorted by id (= by start time). */
export const activityKeys = {
  activity: (userId: string, activityId: string) => ({ pk: `USER#${userId}`, sk: `ACT#${activityId}` }),
  userPrefix: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: 'ACT#' }),
};

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'last_actor_id']);

function toActivity(item: Record<string, unknown>): Activity {
  const activity: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!ITEM_ATTRIBUTES.has(key)) activity[key] = value;
  return activity as Activity;
}

export interface ActivityPage {
  readonly activities: readonly Activity[];
  readonly lastKey?: Record<string, unknown>;
}

export class ActivityRepository {
  constructor(private readonly client: DocumentClient, private readonly table: string) {}

  async create(activity: Activity): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...activityKeys.activity(activity.user_id, activity.activity_id), entity: 'activity', last_actor_id: activity.user_id, ...activity },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Strongly consistent, so an owner reads back what they just wrote. */
  async get(userId: string, activityId: string): Promise<Activity | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: activityKeys.activity(userId, activityId), ConsistentRead: true }));
    return out.Item ? toActivity(out.Item) : undefined;
  }

  /** Newest first; one Query per page. Eventually consistent: a list may lag a write by a moment. */
  async listByUser(userId: string, page: { limit: number; startKey?: Record<string, unknown> }): Promise<ActivityPage> {
    const { pk, skPrefix } = activityKeys.userPrefix(userId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}),
      }),
    );
    return { activities: (out.Items ?? []).map(toActivity), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  async delete(userId: string, activityId: string): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: activityKeys.activity(userId, activityId), ConditionExpression: 'attribute_exists(pk)' }));
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new NotFoundError('activity not found');
      throw error;
    }
  }
}
