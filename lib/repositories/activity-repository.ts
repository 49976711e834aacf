import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../clock';
import type { DocumentClient } from '../db/client';
import type { Activity } from '../activities/activity';
import { type ActivitySummaryPage, listSummaries, summaryDelete, summaryPut } from './activity-summaries';
import { ConflictError, IdempotencyKeyInProgressError, NotFoundError } from '../errors';
import { withoutBookkeeping } from './item';
import { keys } from './keys';
import { startFrom } from './page-start';
import { totalsUpdate } from './period-totals';
import { transactNamed, type TransactItem } from './transact';

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'last_actor_id']);

function toActivity(item: Record<string, unknown>): Activity {
  return withoutBookkeeping<Activity>(item, ITEM_ATTRIBUTES);
}

export class ActivityRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The activity and its owner's period totals in one transaction, so the totals never count an
   * activity that is not there. The totals live on the profile (conditioned on it existing, so ADD
   * never creates a bare profile): `false` means the owner has no profile yet; create it, call again.
   * `idempotencyRecord` (the Idempotency-Key's completion, if the request carried one) joins the same
   * transaction: a retry then finds either both the activity and its recorded response, or neither.
   * So does the activity's summary (what lists read, docs/adr/0017): a list shows it exactly when it exists.
   */
  async create(activity: Activity, idempotencyRecord?: TransactItem): Promise<boolean> {
    const totals = totalsUpdate(activity, 1, now());
    const failed = await transactNamed(this.client, [
      {
        name: 'activity',
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.activity(activity.user_id, activity.activity_id),
              entity: 'activity',
              last_actor_id: activity.user_id,
              ...activity,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      { name: 'summary', item: summaryPut(this.table, activity) },
      {
        name: 'owner-profile',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.user(activity.user_id),
            UpdateExpression: totals.expression,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: totals.names,
            ExpressionAttributeValues: totals.values,
          },
        },
      },
      ...(idempotencyRecord ? [{ name: 'idempotency' as const, item: idempotencyRecord }] : []),
    ]);
    // The claim was taken over (this attempt outlived its lease): the other attempt answers.
    if (failed.has('idempotency')) throw new IdempotencyKeyInProgressError();
    // Ids are random (activity-id.ts): a taken one is a retried request of the same activity, never a new one.
    if (failed.has('activity')) throw new ConflictError('activity already exists', [{ path: 'activity_id', message: 'already exists' }]);
    return !failed.has('owner-profile');
  }

  /** Strongly consistent, so an owner reads back what they just wrote. */
  async get(userId: string, activityId: string): Promise<Activity | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.activity(userId, activityId), ConsistentRead: true }),
    );
    return out.Item ? toActivity(out.Item) : undefined;
  }

  /**
   * A page of the user's activity summaries, newest first (what lists show; the whole activity is
   * `get`). One Query of small items; eventually consistent: a list may lag a write by a moment.
   */
  listSummaries(userId: string, page: { limit: number; startKey?: Record<string, unknown> }): Promise<ActivitySummaryPage> {
    return listSummaries(this.client, this.table, userId, page);
  }

  /**
   * A page of the user's whole activities (splits and map included), oldest first: what an export
   * reads (GET /users/me/export). `resumeAfter(id)` is the start key after one of them, for a reader
   * that stops part-way through a page.
   */
  async listFull(
    userId: string,
    page: { limit: number; startKey?: Record<string, unknown> },
  ): Promise<{ activities: Activity[]; lastKey?: Record<string, unknown> }> {
    const { pk, skPrefix } = keys.activitiesOf(userId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        Limit: page.limit,
        ...startFrom(page.startKey, { equals: { pk }, prefixes: { sk: skPrefix }, attributes: ['pk', 'sk'] }),
      }),
    );
    const activities = (out.Items ?? []).map(toActivity);
    return { activities, ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  /** The start key that resumes `listFull` after this activity. */
  resumeAfter(userId: string, activityId: string): Record<string, unknown> {
    return keys.activity(userId, activityId);
  }

  /**
   * Reads the activity (its bucket and amounts), then deletes it and takes it out of the totals in
   * one transaction, conditioned on it still being there: of two racing deletes only one subtracts.
   * Its summary goes in the same transaction.
   */
  async delete(userId: string, activityId: string): Promise<void> {
    const activity = await this.get(userId, activityId);
    if (!activity) throw new NotFoundError('activity not found');
    const totals = totalsUpdate(activity, -1, now());
    const failed = await transactNamed(this.client, [
      {
        name: 'activity',
        item: { Delete: { TableName: this.table, Key: keys.activity(userId, activityId), ConditionExpression: 'attribute_exists(pk)' } },
      },
      { name: 'summary', item: summaryDelete(this.table, userId, activityId) },
      {
        name: 'owner-profile',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.user(userId),
            UpdateExpression: totals.expression,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: totals.names,
            ExpressionAttributeValues: totals.values,
          },
        },
      },
    ]);
    // A racing delete won; or the owner's profile is gone, and with it what the activity counted in.
    if (failed.has('activity')) throw new NotFoundError('activity not found');
    if (failed.has('owner-profile')) throw new NotFoundError('user not found');
  }
}
