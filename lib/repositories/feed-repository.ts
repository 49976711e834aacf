import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { FEED_ENTRY_ENTITY } from './table-design';
import type { DocumentClient } from '../db/client';
import { keys } from './keys';
import { startFrom } from './page-start';

/** Attributes of a stored item that are bookkeeping, not activity data. */
const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'last_actor_id', 'org_id']);

/** An activity as stored on its item or copied on a feed entry, without the item's bookkeeping. */
export function activityFieldsOf(item: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!ITEM_ATTRIBUTES.has(key)) out[key] = value;
  return out;
}

export interface FeedPage {
  readonly entries: readonly Record<string, unknown>[];
  readonly lastKey?: Record<string, unknown>;
}

export class FeedRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Put by key: a re-delivered stream record writes the same item again, nothing more. */
  async put(orgId: string, activity: Readonly<Record<string, unknown>>): Promise<void> {
    const fields = activityFieldsOf(activity);
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.feedEntry(orgId, String(fields.start_time), String(fields.activity_id)),
          entity: FEED_ENTRY_ENTITY,
          org_id: orgId,
          ...fields,
        },
      }),
    );
  }

  /** Unconditional: deleting an entry that is already gone is the idempotent outcome. */
  async delete(orgId: string, startTime: string, activityId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.feedEntry(orgId, startTime, activityId) }));
  }

  /** Newest first; one Query per page. Eventually consistent: a projection lags its stream anyway. */
  async page(orgId: string, limit: number, startKey?: Record<string, unknown>): Promise<FeedPage> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.feedPartition(orgId) },
        ScanIndexForward: false,
        Limit: limit,
        ...startFrom(startKey, { equals: { pk: keys.feedPartition(orgId) }, attributes: ['pk', 'sk'] }),
      }),
    );
    return { entries: out.Items ?? [], ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }
}
