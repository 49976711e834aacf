import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../../../lib/activities/activity';
import { newActivityId } from '../../../lib/activities/activity-id';
import { runErasurePass } from '../../../lib/erasure';
import { summaryPut } from '../../../lib/repositories/activity-summaries';
import { batchWriteItems, type WriteRequest } from '../../../lib/repositories/batch-write';
import { ErasureRepository, type ErasureJob } from '../../../lib/repositories/erasure-repository';
import { keys } from '../../../lib/repositories/keys';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { createTestTable, testDocumentClient } from '../../support/dynamodb';
import { createUser } from '../../support/org-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

/**
 * Erasure in bounded passes (ADR 0020): an athlete with thousands of activities (two items each, with
 * their summaries) is erased by the stream-driven job in passes of at most ERASURE_PASS_WRITES items,
 * each pass's cursor write triggering the next; and a pass cut off after its deletes but before its
 * cursor write (a Lambda timeout) is simply run again from the old cursor.
 *
 * `npm test` runs 1,000 activities in passes of 250 (8+ passes; alone ~10 s, but every seeded item
 * and its removal is a stream record the local poller reads once per consumer, so it weighs on the
 * suite). The figure, 10,000, takes ~100 s on DynamoDB Local on 2 cores, run alone:
 * `ERASURE_TEST_ACTIVITIES=10000 npx jest tests/integration/erasure` (passes of 2,500 then: 9 passes).
 */
const ACTIVITIES = Number(process.env.ERASURE_TEST_ACTIVITIES ?? 1_000);
const PASS_WRITES = ACTIVITIES >= 10_000 ? 2_500 : 250;

let stack: TestStack;
let appKey: string;
const client = testDocumentClient();
const as = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

async function seedActivities(table: string, userId: string, count: number): Promise<void> {
  const requests: WriteRequest[] = [];
  for (let i = 0; i < count; i++) {
    const start_time = new Date(Date.UTC(2024, 0, 1) + i * 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const activity: Activity = {
      activity_id: newActivityId(start_time),
      user_id: userId,
      created_at: '2026-06-01T00:00:00Z',
      type: 'run',
      name: `Run ${i}`,
      start_time,
      distance_m: 5000,
      moving_time_s: 1500,
    };
    requests.push({ PutRequest: { Item: { ...keys.activity(userId, activity.activity_id), entity: 'activity', ...activity } } });
    const summary = summaryPut(table, activity).Put?.Item;
    if (summary) requests.push({ PutRequest: { Item: summary } });
  }
  await batchWriteItems(client, table, requests);
}

async function partitionSize(table: string, userId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.userPartition(userId) },
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

const jobItem = async (userId: string) =>
  (await client.send(new GetCommand({ TableName: stack.tableName, Key: keys.erasureJob(userId), ConsistentRead: true }))).Item;

beforeAll(async () => {
  process.env.ERASURE_PASS_WRITES = String(PASS_WRITES);
  stack = await startTestStack();
  appKey = await stack.appKey('erasure passes');
});

// Stopping waits for the poller's running cycle, which may still be reading the erased items' records.
afterAll(async () => {
  delete process.env.ERASURE_PASS_WRITES;
  await stack?.stop();
}, 600_000);

test(`${ACTIVITIES} activities are erased in passes of at most ERASURE_PASS_WRITES items, each triggered by the one before`, async () => {
  const athlete = await createUser(stack, appKey, 'Many Runs');
  await seedActivities(stack.tableName, athlete, ACTIVITIES);
  expect(await partitionSize(stack.tableName, athlete)).toBe(2 * ACTIVITIES + 1);

  expect((await stack.http.delete('/api/v1/users/me', await as(athlete))).status).toBe(200);
  let job = await jobItem(athlete);
  for (let round = 0; round < 200 && job?.state !== 'done'; round++) {
    await stack.drainStreams();
    job = await jobItem(athlete);
  }
  expect(job?.state).toBe('done');
  expect(await partitionSize(stack.tableName, athlete)).toBe(0);
  // 2 × ACTIVITIES deletes, no pass more than PASS_WRITES and the page of 100 that crossed it: many passes.
  expect(Number(job?.pass) * (PASS_WRITES + 100)).toBeGreaterThanOrEqual(2 * ACTIVITIES);
  expect(Number(job?.pass)).toBeGreaterThan(5);
  expect(Number(job?.items_deleted)).toBe(2 * ACTIVITIES);
  process.stderr.write(`erasure-passes: ${ACTIVITIES} activities erased in ${job?.pass} passes, ${job?.items_deleted} items deleted\n`);
}, 600_000);

test('a pass cut off before it saved its cursor is run again from the old one, and the job still finishes', async () => {
  // Passes run by hand on a table of its own, which no stream poller reads: nothing else runs the job.
  const table = await createTestTable('erasure-cutoff');
  const athlete = 'usr_cutoff';
  await new UserRepository(client, table).create({ user_id: athlete, display_name: 'Cut Off' }, athlete);
  await seedActivities(table, athlete, 300);
  const repo = new ErasureRepository(client, table);
  expect(await repo.start(athlete, '2026-06-10T08:00:00Z')).toBe('started');
  const cutOff = Object.assign(Object.create(repo) as ErasureRepository, {
    advance: async () => {
      throw new Error('Task timed out after 25.00 seconds');
    },
  });
  const budget = { maxWrites: 250, outOfTime: () => false };
  const started = (await repo.job(athlete)) as ErasureJob;
  await expect(runErasurePass(cutOff, started, '2026-06-10T08:00:01Z', budget)).rejects.toThrow('timed out');
  // Its deletes happened; its cursor did not move.
  expect(await partitionSize(table, athlete)).toBeLessThan(600);
  expect((await repo.job(athlete))?.pass).toBe(started.pass);

  for (let pass = 0; pass < 20; pass++) {
    const job = (await repo.job(athlete)) as ErasureJob;
    if (job.state === 'done') break;
    expect((await runErasurePass(repo, job, '2026-06-10T08:00:02Z', budget)).outcome).not.toBe('stale');
  }
  expect((await repo.job(athlete))?.state).toBe('done');
  expect(await partitionSize(table, athlete)).toBe(0);
});
