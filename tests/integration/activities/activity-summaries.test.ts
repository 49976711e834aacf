import { DynamoDBStreamsClient, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type Activity, newActivityId } from '../../../lib/activities';
import { ActivityRepository } from '../../../lib/repositories/activity-repository';
import { keys } from '../../../lib/repositories/keys';
import { ACTIVITY_SUMMARY_ENTITY, STREAM_FILTERS } from '../../../lib/repositories/table-design';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb-local';
import { matchesFilterPattern } from '../../../local/event-filter';
import { toLambdaRecord } from '../../../local/stream-records';
import { latestStreamArn } from '../../../local/table';
import { createTestTable, testDocumentClient, testDynamoDbClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * Activity summaries (docs/adr/0017) on DynamoDB Local: written and deleted in the activity's own
 * transaction, listed newest first from small items, and invisible to the stream consumers (the
 * activity's own records are what the feed projector and the audit log act on).
 */
let table: string;
let seq = 0;
const userId = () => `usr_sum${process.pid.toString(36)}${String(++seq).padStart(4, '0')}`;

function activityOf(owner: string, start: string, extra: Partial<Activity> = {}): Activity {
  return {
    activity_id: newActivityId(start),
    user_id: owner,
    type: 'run',
    name: `Run at ${start}`,
    start_time: start,
    distance_m: 10_000,
    moving_time_s: 2700,
    elapsed_time_s: 2800,
    avg_pace_s_per_km: 270,
    splits: Array.from({ length: 10 }, () => ({ distance_m: 1000, time_s: 270, pace_s_per_km: 270 })),
    map: { polyline: 'x'.repeat(1500), start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] },
    avg_heart_rate: 151,
    max_heart_rate: 178,
    created_at: start,
    ...extra,
  };
}

const stored = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

async function owner(): Promise<string> {
  const id = userId();
  await new UserRepository(testDocumentClient(), table).create({ user_id: id, display_name: 'Summary Owner' }, 'test');
  return id;
}

beforeAll(async () => {
  table = await createTestTable('summaries');
});

describe('an activity and its summary', () => {
  it('are written together: the summary holds everything but splits and the polyline', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const id = await owner();
    const activity = activityOf(id, '2026-03-04T07:00:00Z');
    await expect(activities.create(activity)).resolves.toBe(true);
    const { splits: _splits, map: _map, activity_id: _id, user_id: _owner, ...small } = activity;
    // The ids are in the key only (a page of 20 stays within one read unit); the list puts them back.
    expect(await stored(keys.activitySummary(id, activity.activity_id))).toEqual({
      ...keys.activitySummary(id, activity.activity_id),
      entity: ACTIVITY_SUMMARY_ENTITY,
      ...small,
      map: { start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] },
    });
    expect((await activities.listSummaries(id, { limit: 1 })).summaries).toEqual([
      { activity_id: activity.activity_id, user_id: id, ...small, map: { start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] } },
    ]);
  });

  it('a map of a polyline alone leaves no map on the summary', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const id = await owner();
    const activity = activityOf(id, '2026-03-04T07:00:00Z', { map: { polyline: 'abc' } });
    await activities.create(activity);
    expect((await activities.listSummaries(id, { limit: 10 })).summaries[0]).not.toHaveProperty('map');
  });

  it('neither is written when the owner has no profile', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const activity = activityOf(userId(), '2026-03-04T07:00:00Z');
    await expect(activities.create(activity)).resolves.toBe(false);
    expect(await stored(keys.activity(activity.user_id, activity.activity_id))).toBeUndefined();
    expect(await stored(keys.activitySummary(activity.user_id, activity.activity_id))).toBeUndefined();
  });

  it('are deleted together', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const id = await owner();
    const activity = activityOf(id, '2026-03-04T07:00:00Z');
    await activities.create(activity);
    await activities.delete(id, activity.activity_id);
    expect(await stored(keys.activity(id, activity.activity_id))).toBeUndefined();
    expect(await stored(keys.activitySummary(id, activity.activity_id))).toBeUndefined();
    expect((await activities.listSummaries(id, { limit: 10 })).summaries).toEqual([]);
  });
});

describe('a list of summaries', () => {
  it('is newest first, one owner only, page by page', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const id = await owner();
    const other = await owner();
    const starts = ['2026-01-03T07:00:00Z', '2026-01-01T07:00:00Z', '2026-01-05T07:00:00Z', '2026-01-02T07:00:00Z', '2026-01-04T07:00:00Z'];
    for (const start of starts) await activities.create(activityOf(id, start));
    await activities.create(activityOf(other, '2026-01-06T07:00:00Z'));

    const first = await activities.listSummaries(id, { limit: 3 });
    expect(first.lastKey).toBeDefined();
    const second = await activities.listSummaries(id, { limit: 3, ...(first.lastKey ? { startKey: first.lastKey } : {}) });
    const listed = [...first.summaries, ...second.summaries];
    expect(listed.map((s) => s.start_time)).toEqual([...starts].sort().reverse());
    expect(listed.every((s) => s.user_id === id && !('splits' in s) && !('pk' in s) && !('entity' in s))).toBe(true);
  });
});

describe('summary records on the table stream', () => {
  const delivered = (consumer: string, record: DynamoDBRecord) =>
    (STREAM_FILTERS[consumer] ?? []).some((pattern) => matchesFilterPattern(pattern, record));

  it('reach neither the audit log nor the feed projector; the activity’s reach the projector', async () => {
    const activities = new ActivityRepository(testDocumentClient(), table);
    const id = await owner();
    const activity = activityOf(id, '2026-03-04T07:00:00Z');
    await activities.create(activity);
    await activities.delete(id, activity.activity_id);

    const records = (await streamRecords()).filter((r) => (r.dynamodb?.Keys?.sk?.S ?? '').endsWith(activity.activity_id));
    const summaryRecords = records.filter((r) => r.dynamodb?.Keys?.sk?.S === keys.activitySummary(id, activity.activity_id).sk);
    const activityRecords = records.filter((r) => r.dynamodb?.Keys?.sk?.S === keys.activity(id, activity.activity_id).sk);
    expect(summaryRecords.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(activityRecords.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    for (const record of summaryRecords) {
      expect([record.eventName, delivered('audit-log', record), delivered('feed-projector', record)]).toEqual([
        record.eventName,
        false,
        false,
      ]);
    }
    for (const record of activityRecords) expect([record.eventName, delivered('feed-projector', record)]).toEqual([record.eventName, true]);
  });
});

async function streamRecords(): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({ endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const streamArn = await latestStreamArn(testDynamoDbClient(), table);
    const records: DynamoDBRecord[] = [];
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      let iterator = (
        await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
      ).ShardIterator;
      for (let page = 0; iterator && page < 50; page += 1) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(out.Records ?? []).map((record) => toLambdaRecord(record, streamArn)));
        if ((out.Records ?? []).length === 0) break;
        iterator = out.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}
