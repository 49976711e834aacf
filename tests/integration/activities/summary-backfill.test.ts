import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Activity, newActivityId } from '../../../lib/activities';
import { ActivityRepository } from '../../../lib/repositories/activity-repository';
import { writeMissingSummary } from '../../../lib/repositories/activity-summaries';
import { FeedRepository } from '../../../lib/repositories/feed-repository';
import { keys } from '../../../lib/repositories/keys';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { backfillActivitySummaries } from '../../../ops/activity-summary-backfill';
import { createTestTable, testDocumentClient } from '../../support/dynamodb';

/**
 * The backfill of docs/adr/0017 on DynamoDB Local: activities stored before summaries existed (put
 * here as that code wrote them: the activity item alone) get their summary, feed entries that copied
 * a whole activity are rewritten as its summary, a second run changes nothing, and a backfill racing
 * a delete never brings back what was deleted.
 */
let table: string;
const owner = 'usr_backfillowner01';
const orgId = 'org_backfill000001';

function activityOf(start: string): Activity {
  return {
    activity_id: newActivityId(start),
    user_id: owner,
    type: 'run',
    name: `Run at ${start}`,
    start_time: start,
    distance_m: 8000,
    moving_time_s: 2400,
    splits: [{ distance_m: 1000, time_s: 300 }],
    map: { polyline: 'abcdef', start_latlng: [1, 2], end_latlng: [3, 4] },
    created_at: start,
  };
}

/** As the code before summaries stored an activity: the item alone. */
const putLegacyActivity = (activity: Activity) =>
  testDocumentClient().send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.activity(owner, activity.activity_id), entity: 'activity', last_actor_id: owner, ...activity },
    }),
  );
/** As the feed projector before summaries wrote an entry: the whole activity. */
const putLegacyFeedEntry = (activity: Activity) =>
  testDocumentClient().send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.feedEntry(orgId, activity.start_time, activity.activity_id), entity: 'feed_entry', org_id: orgId, ...activity },
    }),
  );
const stored = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

const legacy = ['2025-06-01T07:00:00Z', '2025-06-03T07:00:00Z', '2025-06-02T07:00:00Z'].map(activityOf);
const current = activityOf('2025-06-04T07:00:00Z');

beforeAll(async () => {
  table = await createTestTable('backfill');
  const client = testDocumentClient();
  await new UserRepository(client, table).create({ user_id: owner, display_name: 'Old Runner' }, 'test');
  for (const activity of legacy) await putLegacyActivity(activity);
  await new ActivityRepository(client, table).create(current);
  await putLegacyFeedEntry(legacy[0] as Activity);
  await new FeedRepository(client, table).put(orgId, { ...current, splits: undefined, map: { start_latlng: [1, 2] } });
});

describe('the activity-summary backfill', () => {
  it('lists no legacy activity before it runs', async () => {
    const page = await new ActivityRepository(testDocumentClient(), table).listSummaries(owner, { limit: 20 });
    expect(page.summaries.map((s) => s.activity_id)).toEqual([current.activity_id]);
  });

  it('gives every legacy activity its summary and slims the whole-activity feed entries', async () => {
    const report = await backfillActivitySummaries(testDocumentClient(), table);
    expect(report).toEqual({ summariesWritten: 3, summariesPresent: 1, activitiesGone: 0, feedEntriesSlimmed: 1, feedEntriesUnchanged: 1 });
    const page = await new ActivityRepository(testDocumentClient(), table).listSummaries(owner, { limit: 20 });
    expect(page.summaries.map((s) => s.start_time)).toEqual(
      [current, ...legacy]
        .map((a) => a.start_time)
        .sort()
        .reverse(),
    );
    expect(page.summaries.find((s) => s.activity_id === legacy[0]?.activity_id)).toEqual({
      activity_id: legacy[0]?.activity_id,
      user_id: owner,
      type: 'run',
      name: legacy[0]?.name,
      start_time: legacy[0]?.start_time,
      distance_m: 8000,
      moving_time_s: 2400,
      map: { start_latlng: [1, 2], end_latlng: [3, 4] },
      created_at: legacy[0]?.created_at,
    });
    const entry = await stored(keys.feedEntry(orgId, legacy[0]?.start_time ?? '', legacy[0]?.activity_id ?? ''));
    expect(entry).toMatchObject({
      entity: 'feed_entry',
      org_id: orgId,
      activity_id: legacy[0]?.activity_id,
      map: { start_latlng: [1, 2] },
    });
    expect(entry).not.toHaveProperty('splits');
    expect(entry?.map).not.toHaveProperty('polyline');
  });

  it('changes nothing when run again', async () => {
    const report = await backfillActivitySummaries(testDocumentClient(), table);
    expect(report).toEqual({ summariesWritten: 0, summariesPresent: 4, activitiesGone: 0, feedEntriesSlimmed: 0, feedEntriesUnchanged: 2 });
  });

  it('splits the table between parallel Scan segments without missing an item', async () => {
    const reports = await Promise.all(
      [0, 1, 2].map((segment) => backfillActivitySummaries(testDocumentClient(), table, { segment, totalSegments: 3 })),
    );
    expect(reports.reduce((sum, r) => sum + r.summariesPresent + r.summariesWritten, 0)).toBe(4);
    expect(reports.reduce((sum, r) => sum + r.feedEntriesUnchanged, 0)).toBe(2);
  });

  it('never writes the summary of an activity deleted after the Scan read it', async () => {
    const gone = activityOf('2025-05-01T07:00:00Z');
    await putLegacyActivity(gone);
    await testDocumentClient().send(new DeleteCommand({ TableName: table, Key: keys.activity(owner, gone.activity_id) }));
    await expect(writeMissingSummary(testDocumentClient(), table, gone)).resolves.toBe('gone');
    expect(await stored(keys.activitySummary(owner, gone.activity_id))).toBeUndefined();
  });

  it('never brings back a feed entry deleted after the Scan read it', async () => {
    const gone = activityOf('2025-05-02T07:00:00Z');
    const entry = { ...gone, org_id: orgId, entity: 'feed_entry' };
    await expect(new FeedRepository(testDocumentClient(), table).replaceWithSummary(entry)).resolves.toBe(false);
    expect(await stored(keys.feedEntry(orgId, gone.start_time, gone.activity_id))).toBeUndefined();
  });
});
