import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ActivitySummary, activitySummary } from '../activities/activity-summary';
import type { Activity } from '../activities/activity';
import type { DocumentClient } from '../db/client';
import { withoutBookkeeping } from './item';
import { keys } from './keys';
import { startFrom } from './page-start';
import { ACTIVITY_SUMMARY_ENTITY } from './table-design';
import { transactNamed, type TransactItem } from './transact';

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity']);

/**
 * The summary item of an activity (docs/adr/0017): written in the activity's own transaction, so a
 * list never shows an activity that is not there nor misses one that is. No `org_id` and its own
 * `entity`: neither the audit consumer nor the feed projector takes it for a change of its own.
 */
export function summaryPut(table: string, activity: Activity): TransactItem {
  return { Put: { TableName: table, Item: summaryItem(activity) } };
}

/** An activity as stored (an item, or a stream image): its ids, and whatever else it holds. */
export type StoredActivity = Readonly<Record<string, unknown>> & Pick<Activity, 'user_id' | 'activity_id'>;

/**
 * The stored summary: the ids live in its key only (`USER#<user_id>` / `ACTSUM#<activity_id>`),
 * not again as attributes, and there is no `last_actor_id` (no consumer audits a summary; the
 * activity carries it): ≈ 65 bytes less an item, which keeps a page of 20 within one read unit
 * (≤ 8 KB eventually consistent) for typical names. `fromItem` puts the ids back.
 */
function summaryItem(activity: StoredActivity): Record<string, unknown> {
  const { activity_id: _activityId, user_id: _userId, ...rest } = activitySummary(activity);
  return { ...keys.activitySummary(activity.user_id, activity.activity_id), entity: ACTIVITY_SUMMARY_ENTITY, ...rest };
}

function fromItem(userId: string, item: Record<string, unknown>): ActivitySummary {
  return {
    activity_id: keys.activityIdOfSummary(String(item.sk)),
    user_id: userId,
    ...withoutBookkeeping<Omit<ActivitySummary, 'activity_id' | 'user_id'>>(item, ITEM_ATTRIBUTES),
  };
}

export type BackfillOutcome = 'written' | 'present' | 'gone';

/**
 * Gives an activity recorded before summaries existed its summary (ops/backfill-activity-summaries.ts).
 * One transaction conditioned on the activity still being there and on no summary yet: a backfill
 * racing the owner's delete never leaves the summary of a deleted activity in their list, and one
 * racing a create (which writes its own summary) never overwrites it. Safe to run again.
 */
export async function writeMissingSummary(client: DocumentClient, table: string, activity: StoredActivity): Promise<BackfillOutcome> {
  const failed = await transactNamed(client, [
    {
      name: 'activity',
      item: {
        ConditionCheck: {
          TableName: table,
          Key: keys.activity(activity.user_id, activity.activity_id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    },
    {
      name: 'summary',
      item: { Put: { TableName: table, Item: summaryItem(activity), ConditionExpression: 'attribute_not_exists(pk)' } },
    },
  ]);
  if (failed.has('activity')) return 'gone';
  return failed.has('summary') ? 'present' : 'written';
}

/** Unconditional: an activity recorded before summaries existed may have none (yet) to delete. */
export function summaryDelete(table: string, userId: string, activityId: string): TransactItem {
  return { Delete: { TableName: table, Key: keys.activitySummary(userId, activityId) } };
}

export interface ActivitySummaryPage {
  readonly summaries: readonly ActivitySummary[];
  readonly lastKey?: Record<string, unknown>;
}

/** A user's activity summaries, newest first: one Query of small items per page (data-model #14). */
export async function listSummaries(
  client: DocumentClient,
  table: string,
  userId: string,
  page: { limit: number; startKey?: Record<string, unknown> },
): Promise<ActivitySummaryPage> {
  const { pk, skPrefix } = keys.activitySummariesOf(userId);
  const out = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ScanIndexForward: false,
      Limit: page.limit,
      ...startFrom(page.startKey, { equals: { pk }, prefixes: { sk: skPrefix }, attributes: ['pk', 'sk'] }),
    }),
  );
  const summaries = (out.Items ?? []).map((item) => fromItem(userId, item));
  return { summaries, ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
}
