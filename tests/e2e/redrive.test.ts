import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local';
import { invokeConsumer, stackConsumers, type StreamConsumer } from '../../local/stream-consumers';
import { keys } from '../../lib/repositories/keys';
import { rebuildProjection } from '../../ops/projection-rebuild';
import { LocalDeadLetterFile, redriveDeadLetters } from '../../ops/stream-redrive';
import { testDocumentClient, testDynamoDbClient, testDynamoDbEndpoint } from '../support/dynamodb';
import { startFlakyDynamoDb, type FlakyDynamoDb } from '../support/flaky-dynamodb';
import { bearer } from '../support/http';
import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Issue 15's outage, replayed: the table becomes unreachable in the middle of a burst of activity
 * writes while the stream consumers are behind, so writes that got a 201 reach the stream but their
 * projection and audit fail and are dead-lettered. After the table is back, `ops/stream-redrive.ts`
 * (npm run redrive) replays the dead letters from the poller's file: the feed then holds every
 * activity that got a 201, each audit event exists once, and the boards add up.
 * The consumers are "behind" by a gate that holds their first batch until the outage starts, so the
 * loss is certain, not a race (the issue saw the same with a real burst outrunning the projector).
 */

/** Holds the consumers while shut, as a projector that has not yet reached the burst's records. */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  shut(): void {
    this.opened = new Promise((resolve) => {
      this.release = resolve;
    });
  }
  open(): void {
    this.release();
  }
  wait(): Promise<void> {
    return this.opened;
  }
}

const gate = new Gate();
const gated = (consumer: StreamConsumer): StreamConsumer => ({
  name: consumer.name,
  filters: consumer.filters ?? [],
  handler: async (event) => {
    await gate.wait();
    return invokeConsumer(consumer, event.Records, undefined);
  },
});

const DISTANCE = 5_000;
const BEFORE = 60;
const DURING = 10;
const AFTER = 30;
const GROUPS = 4;

let dir: string;
let flaky: FlakyDynamoDb;
let stack: TestStack;
let cast: OrgCast;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'astral-redrive-'));
  flaky = await startFlakyDynamoDb(testDynamoDbEndpoint(), { seed: 1 });
  stack = await startTestStack({
    dynamoDbEndpoint: flaky.endpoint,
    consumers: stackConsumers().map(gated),
    deadLetterFile: join(dir, 'dead-letters.jsonl'),
    maxRetries: 1,
  });
  cast = await createOrgCast(stack);
  await stack.drainStreams();
  streams = new DynamoDBStreamsClient({ endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  streams?.destroy();
  await stack?.stop();
  await flaky?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The burst: runs split between two athletes, a few at a time; returns the ids of those that got a 201. */
async function burst(label: string, count: number): Promise<string[]> {
  const created: string[] = [];
  const athletes = [cast.athlete, cast.fellow];
  const headers = Object.fromEntries(await Promise.all(athletes.map(async (user) => [user, bearer(await stack.token(user))])));
  const one = async (index: number): Promise<void> => {
    const user = athletes[index % athletes.length] as string;
    const response = await stack.http.post<{ activity: { activity_id: string } }>(
      `/api/v1/users/${user}/activities`,
      { type: 'run', name: `${label} ${index}`, start_time: '2026-03-18T07:00:00Z', distance_m: DISTANCE, moving_time_s: 1_500 },
      { headers: headers[user] },
    );
    if (response.status === 201 && response.body) created.push(`${user}:${response.body.activity.activity_id}`);
  };
  for (let start = 0; start < count; start += 4) {
    await Promise.all(Array.from({ length: Math.min(4, count - start) }, (_, offset) => one(start + offset)));
  }
  return created;
}

async function queryAll(pk: string, prefix?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await testDocumentClient().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const feedActivityIds = async (): Promise<Set<string>> =>
  new Set((await queryAll(`FEED#${cast.orgId}`)).map((item) => String(item.sk).split('#').pop() as string));

const auditEvents = () => queryAll(`ORG#${cast.orgId}`, 'AUDIT#');

/** Each athlete's all-time distance on the board is their runs that got a 201. */
async function expectBoardsToAddUp(created: string[]): Promise<void> {
  const board = await stack.http.get<{ entries: { user_id: string; value: number }[] }>(
    `/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=all`,
    { headers: bearer(await stack.token(cast.headCoach)) },
  );
  expect(board.status).toBe(200);
  for (const user of [cast.athlete, cast.fellow]) {
    const runs = created.filter((entry) => entry.startsWith(`${user}:`)).length;
    expect(board.body?.entries.find((entry) => entry.user_id === user)?.value).toBe(runs * DISTANCE);
  }
}

const missingFrom = (feed: Set<string>, created: string[]) => created.filter((entry) => !feed.has(entry.split(':')[1] as string));

it('a redrive after an outage puts every activity that got a 201 into the feed, with each audit event once', async () => {
  const asHead = bearer(await stack.token(cast.headCoach));
  const auditBefore = (await auditEvents()).length;

  // The consumers fall behind the burst; groups give the audit log something to lose as well.
  gate.shut();
  const created = await burst('Before', BEFORE);
  let groups = 0;
  for (let index = 0; index < GROUPS; index += 1) {
    const response = await stack.http.post(`/api/v1/organizations/${cast.orgId}/groups`, { name: `Squad ${index}` }, { headers: asHead });
    if (response.status === 201) groups += 1;
  }

  // The outage: every DynamoDB call of the functions and consumers fails; the consumers catch up into it.
  flaky.down = true;
  gate.open();
  created.push(...(await burst('During', DURING)));
  await stack.drainStreams();
  flaky.down = false;

  created.push(...(await burst('After', AFTER)));
  await stack.drainStreams();

  const missingBefore = missingFrom(await feedActivityIds(), created);
  const deadLettered = stack.deadLetters.map((letter) => letter.consumer);
  process.stdout.write(
    `redrive.test.ts: ${created.length} activities got 201 (+${groups} groups); ${missingBefore.length} missing from the feed before the redrive; dead letters: ${deadLettered.length} (${[...new Set(deadLettered)].join(', ')})\n`,
  );
  // Otherwise the test proves nothing.
  expect(missingBefore.length).toBeGreaterThan(0);
  expect(new Set(deadLettered)).toEqual(new Set(['audit-log', 'feed-projector', 'leaderboard-projector']));

  const source = new LocalDeadLetterFile(join(dir, 'dead-letters.jsonl'));
  const redrive = () =>
    redriveDeadLetters({
      source,
      streams,
      dynamodb: testDynamoDbClient(),
      consumers: stackConsumers(),
      invoke: (consumer, records) => invokeConsumer(consumer, records, undefined),
    });
  const results = await redrive();
  expect(results.map((result) => result.outcome.kind).filter((kind) => kind !== 'redriven')).toEqual([]);

  const missingAfter = missingFrom(await feedActivityIds(), created);
  expect(missingAfter).toEqual([]);

  // Each audit event once: ids unique, and every group that got a 201 has its group_created event.
  const events = await auditEvents();
  const ids = events.map((event) => String(event.event_id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(events.filter((event) => event.event_type === 'group_created').length).toBe(groups);

  // The boards add up: each athlete's all-time distance is their runs that got a 201.
  await expectBoardsToAddUp(created);

  // Again: nothing is pending, nothing changes.
  const digest = { feed: (await feedActivityIds()).size, audit: (await auditEvents()).length };
  expect(await redrive()).toEqual([]);
  expect({ feed: (await feedActivityIds()).size, audit: (await auditEvents()).length }).toEqual(digest);
  process.stdout.write(
    `redrive.test.ts: after the redrive: ${missingAfter.length} missing; ${results.length} dead letters redriven; audit events ${events.length - auditBefore} new, ${ids.length} in all, no duplicates\n`,
  );
  createdInBurst = created;
});

let createdInBurst: string[] = [];

it('a rebuild from the table restores a lost feed and lost board entries, and drops a feed entry whose activity is gone', async () => {
  // Run alone, it makes its own runs; after the redrive test, it rebuilds that burst's.
  if (createdInBurst.length === 0) {
    createdInBurst = await burst('Rebuild', 12);
    await stack.drainStreams();
  }
  const documents = testDocumentClient();
  // Past the stream's retention nothing can be replayed: the projections are simply gone.
  const lost = [...(await queryAll(`FEED#${cast.orgId}`)), ...(await queryAll(`USER#${cast.athlete}`, 'BOARD#'))];
  for (const item of lost) await documents.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: item.pk, sk: item.sk } }));
  const [first] = createdInBurst;
  const orphan = {
    pk: `FEED#${cast.orgId}`,
    sk: keys.feedEntry(cast.orgId, '2026-03-18T07:00:00Z', 'act_gone').sk,
    entity: 'feed_entry',
    org_id: cast.orgId,
  };
  await documents.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: { ...orphan, user_id: first?.split(':')[0], activity_id: 'act_gone', start_time: '2026-03-18T07:00:00Z' },
    }),
  );
  await stack.drainStreams();

  const rebuild = async (name: string) => {
    const consumer = stackConsumers().find((candidate) => candidate.name === name) as StreamConsumer;
    const cursors: (string | undefined)[] = [];
    const result = await rebuildProjection({
      dynamodb: testDynamoDbClient(),
      table: stack.tableName,
      consumer,
      invoke: (target, records) => invokeConsumer(target, records, undefined),
      pageSize: 50,
      onPage: (progress) => cursors.push(progress.cursor),
    });
    expect(result.failed).toBe(0);
    return { result, cursors };
  };
  const feed = await rebuild('feed-projector');
  // Paged: every page but the last hands back where to resume.
  expect(feed.cursors.length).toBeGreaterThan(1);
  expect(feed.cursors.at(-1)).toBeUndefined();
  await rebuild('leaderboard-projector');

  const entries = await feedActivityIds();
  expect(missingFrom(entries, createdInBurst)).toEqual([]);
  expect(entries.has('act_gone')).toBe(false);
  expect(entries.size).toBe(createdInBurst.length);
  await expectBoardsToAddUp(createdInBurst);
  process.stdout.write(
    `redrive.test.ts: rebuild: ${lost.length} feed and board items deleted, ${entries.size} feed entries rebuilt, orphan dropped, ${feed.result.scanned} items scanned in ${feed.cursors.length} pages\n`,
  );
});
