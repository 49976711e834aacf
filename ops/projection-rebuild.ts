import { setTimeout as sleep } from 'node:timers/promises';
import { type AttributeValue, type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamRecord, AttributeValue as StreamAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { keys } from '../lib/repositories/keys';
import { matchesAnyFilter } from '../local/event-filter';
import type { StreamConsumer } from '../local/stream-consumers';
import { toLambdaRecord } from '../local/stream-records';

/** The projections a rebuild can recompute from the table, by the stream consumer that keeps each. */
export const REBUILDABLE = { feed: 'feed-projector', leaderboard: 'leaderboard-projector' } as const;
export type RebuildableProjection = keyof typeof REBUILDABLE;

type Item = Record<string, AttributeValue>;

export interface RebuildOptions {
  readonly dynamodb: DynamoDBClient;
  readonly table: string;
  readonly consumer: StreamConsumer;
  readonly invoke: (consumer: StreamConsumer, records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse | void>;
  /** Only this user's items (activities, profile). */
  readonly userId?: string;
  /** A cursor printed by an earlier run: go on from there. */
  readonly from?: string;
  readonly pageSize?: number;
  /** Pause between Scan pages: what keeps the rebuild from eating the table's read capacity. */
  readonly pauseMs?: number;
  /** After each page: the cursor to resume from (undefined when the table is done). */
  readonly onPage?: (progress: RebuildProgress) => void;
}

export interface RebuildProgress {
  readonly scanned: number;
  readonly delivered: number;
  readonly failed: number;
  readonly cursor: string | undefined;
}

export const encodeCursor = (key: Item): string => Buffer.from(JSON.stringify(key)).toString('base64url');
export const decodeCursor = (cursor: string): Item => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item;

const asStream = (item: Item): Record<string, StreamAttributeValue> => item as Record<string, StreamAttributeValue>;

/** The item as if it had just been written: an INSERT the consumer projects exactly as it projects a new write. */
function insertOf(item: Item, streamArn: string, at: Date): DynamoDBRecord {
  const record: StreamRecord = {
    eventID: `rebuild-${item.pk?.S}-${item.sk?.S}`,
    eventName: 'INSERT',
    dynamodb: {
      ApproximateCreationDateTime: at,
      Keys: asStream({ pk: item.pk as AttributeValue, sk: item.sk as AttributeValue }),
      NewImage: asStream(item),
      SequenceNumber: '0',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
  return toLambdaRecord(record, streamArn);
}

/**
 * A feed entry whose activity is gone (its REMOVE was lost past the stream's retention) would stay
 * visible: it becomes the REMOVE the projector missed, which deletes it in every organization.
 */
async function removalOfOrphan(dynamodb: DynamoDBClient, table: string, entry: Item, streamArn: string, at: Date) {
  const userId = entry.user_id?.S;
  const activityId = entry.activity_id?.S;
  if (!userId || !activityId) return undefined;
  const key = keys.activity(userId, activityId);
  const found = await dynamodb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
  );
  if (found.Item) return undefined;
  const record: StreamRecord = {
    eventID: `rebuild-orphan-${activityId}`,
    eventName: 'REMOVE',
    dynamodb: {
      ApproximateCreationDateTime: at,
      Keys: asStream({ pk: { S: key.pk }, sk: { S: key.sk } }),
      OldImage: asStream({ ...entry, ...{ pk: { S: key.pk }, sk: { S: key.sk }, entity: { S: 'activity' } } }),
      SequenceNumber: '0',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
  return toLambdaRecord(record, streamArn);
}

/**
 * Recomputes a projection from the table: a paged Scan (an ops tool, never a request path), each item
 * handed to the consumer's own handler as an INSERT, through the consumer's stream filter, so the
 * rebuild writes exactly what the projector writes for a new item. Puts by key: running it twice, or
 * over a live projector, changes nothing. Resumable from the cursor printed after each page.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildProgress> {
  const streamArn = `arn:aws:dynamodb:rebuild:000000000000:table/${options.table}/stream/rebuild`;
  let startKey = options.from ? decodeCursor(options.from) : undefined;
  const totals = { scanned: 0, delivered: 0, failed: 0 };
  for (;;) {
    const page = await options.dynamodb.send(
      new ScanCommand({ TableName: options.table, Limit: options.pageSize ?? 100, ExclusiveStartKey: startKey }),
    );
    const items = (page.Items ?? []).filter((item) => !options.userId || item.user_id?.S === options.userId);
    const at = new Date();
    const records: DynamoDBRecord[] = [];
    for (const item of items) {
      if (options.consumer.name === REBUILDABLE.feed && item.entity?.S === 'feed_entry') {
        const removal = await removalOfOrphan(options.dynamodb, options.table, item, streamArn, at);
        if (removal) records.push(removal);
        continue;
      }
      records.push(insertOf(item, streamArn, at));
    }
    const wanted = records.filter((record) => matchesAnyFilter(options.consumer.filters, record));
    if (wanted.length > 0) {
      const response = await options.invoke(options.consumer, wanted);
      totals.failed += response?.batchItemFailures?.length ?? 0;
    }
    totals.scanned += page.Items?.length ?? 0;
    totals.delivered += wanted.length;
    startKey = page.LastEvaluatedKey;
    const progress = { ...totals, cursor: startKey ? encodeCursor(startKey) : undefined };
    options.onPage?.(progress);
    if (!startKey) return progress;
    if (options.pauseMs) await sleep(options.pauseMs);
  }
}
