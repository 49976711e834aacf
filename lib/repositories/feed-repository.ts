import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { activitySummary } from '../activities/activity-summary';
import { FEED_ENTRY_ENTITY } from './table-design';
import { isConditionalCheckFailure } from './dynamo-errors';
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

  /**
   * Rewrites an entry projected before summaries (a whole activity's copy) as the summary the
   * projector now writes (ops/backfill-activity-summaries.ts), only while it is still there: an
   * entry the projector deleted meanwhile (its activity deleted) stays deleted. False when it was gone.
   */
  async replaceWithSummary(entry: Readonly<Record<string, unknown>>): Promise<boolean> {
    const orgId = String(entry.org_id);
    const summary = activitySummary(entry);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.feedEntry(orgId, String(summary.start_time), String(summary.activity_id)),
            entity: FEED_ENTRY_ENTITY,
            org_id: orgId,
            ...summary,
          },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
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
