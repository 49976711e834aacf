import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf, totalAttribute } from '../../lib/activities/period-totals';
import { createDocumentClient, documentClient } from '../../lib/db/client';
import { OrganizationRepository } from '../../lib/repositories/organization-repository';
import { UserRepository } from '../../lib/repositories/user-repository';
import { countCalls } from '../support/call-counter';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../support/dynamodb';

/**
 * Leaderboard and feed reads on a 1,000-member organization, through the handlers' own path, with
 * every DynamoDB call counted. Leaderboard: the authorization GetItem (+1 GetItem of the caller's
 * membership for a plain member), the roster Query pages, one ties Query unless the viewer is the
 * head coach, and ⌈N/100⌉ consistent BatchGets (profiles carry settings, name, photo and totals).
 * Feed page: the same authorization, ONE feed Query, the ties Query for non-head-coaches, and
 * ⌈(D profiles + D memberships + the viewer's membership)/100⌉ BatchGets for D distinct owners.
 */
const MEMBERS = 1000;
const FEED_ENTRIES = 300;
const ROSTER_PAGE = 1000;
let table: string;
const orgId = 'org_lbcostcheck01';
const headCoach = 'usr_lbhead';
const memberViewer = 'usr_m00007';
const now = new Date();
const week = bucketOf('week', now);

type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let leaderboard: Handle;
let feed: Handle;

const userIdOf = (i: number) => `usr_m${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  table = await createTestTable('leaderboard-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  await new UserRepository(seedClient, table).create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await new OrganizationRepository(seedClient, table).create({ org_id: orgId, org_name: 'Leaderboard Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' }, 'test');
  seedClient.destroy();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const userId = userIdOf(i);
    items.push({
      pk: `USER#${userId}`, sk: 'PROFILE', entity: 'user', user_id: userId, display_name: `Member ${i}`,
      [totalAttribute('week', week, 'distance_m')]: 1000 + i, [totalAttribute('week', week, 'moving_time_s')]: 300 + i, [totalAttribute('week', week, 'count')]: 1,
    });
    items.push({ pk: `ORG#${orgId}`, sk: `MEMBER#${userId}`, entity: 'member', org_id: orgId, user_id: userId, status: 'active', labels: [], joined_at: '2026-01-01T00:00:00Z', user_pk: `USER#${userId}`, user_sk: `ORG#${orgId}#MEMBER` });
  }
  for (let i = 0; i < FEED_ENTRIES; i++) {
    const userId = userIdOf((i * 7) % MEMBERS);
    const start = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const activityId = `act_cost${String(i).padStart(5, '0')}`;
    items.push({ pk: `FEED#${orgId}`, sk: `${start}#${activityId}`, entity: 'feed_entry', org_id: orgId, user_id: userId, activity_id: activityId, type: 'run', name: `Run ${i}`, start_time: start, distance_m: 5000, moving_time_s: 1500, created_at: start });
  }
  const client = testDocumentClient();
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(batches.slice(i, i + 16).map(async (batch) => {
      let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }));
  }
  await client.send(new UpdateCommand({ TableName: table, Key: { pk: `ORG#${orgId}`, sk: 'ORG' }, UpdateExpression: 'SET coaches = :c', ExpressionAttributeValues: { ':c': [] } }));
  ({ handle: leaderboard } = (await import('../../functions/leaderboard-get/handler')) as unknown as { handle: Handle });
  ({ handle: feed } = (await import('../../functions/feed-list/handler')) as unknown as { handle: Handle });
}, 120_000);

let counter: ReturnType<typeof countCalls>;
const principal = (userId: string) => ({ kind: 'user', user_id: userId, is_admin: false });
const calls = () => Object.fromEntries(counter.byCommand) as Record<string, number | undefined>;

describe('leaderboard cost on a 1,000-member organization', () => {
  it.each([
    ['the head coach', headCoach, 0],
    ['a member (their membership GetItem and one ties Query more)', memberViewer, 1],
  ])('%s', async (_who, viewer, extra) => {
    counter ??= countCalls(documentClient());
    counter.reset();
    const response = await leaderboard({ params: { org_id: orgId }, query: { metric: 'distance', period: 'week' }, body: undefined, principal: principal(viewer as string), requestId: 'test' });
    expect(response.status).toBe(200);
    const body = response.body as { entries: { rank: number; user_id: string; value: number }[]; count: number };
    expect(body.count).toBe(MEMBERS);
    expect(body.entries[0]).toMatchObject({ rank: 1, user_id: userIdOf(MEMBERS - 1), value: 1000 + MEMBERS - 1 });
    const rosterPages = Math.floor(MEMBERS / ROSTER_PAGE) + 1;
    expect(calls().ScanCommand).toBeUndefined();
    expect(calls().BatchGetItemCommand).toBe(Math.ceil(MEMBERS / 100));
    expect(calls().GetItemCommand).toBe(1 + (extra as number));
    expect(calls().QueryCommand).toBe(rosterPages + (extra as number));
    // Measured: 13 calls for the head coach (1 GetItem + 2 Query + 10 BatchGet), 15 for a member.
    expect(counter.total()).toBe(Math.ceil(MEMBERS / 100) + rosterPages + 1 + 2 * (extra as number));
  });
});

describe('feed page cost whatever the organization size', () => {
  it.each([
    ['the head coach', headCoach, 0],
    ['a member', memberViewer, 1],
  ])('%s', async (_who, viewer, extra) => {
    counter ??= countCalls(documentClient());
    counter.reset();
    const response = await feed({ params: { org_id: orgId }, query: { limit: 100 }, body: undefined, principal: principal(viewer as string), requestId: 'test' });
    expect(response.status).toBe(200);
    const body = response.body as { activities: { user_id: string; start_time: string }[]; count: number; next_token?: string };
    expect(body.count).toBe(100);
    expect(body.next_token).toEqual(expect.any(String));
    const starts = body.activities.map((a) => a.start_time);
    expect(starts).toEqual([...starts].sort().reverse());
    const owners = new Set(body.activities.map((a) => a.user_id));
    const keys = 2 * owners.size + (extra && !owners.has(viewer as string) ? 1 : 0);
    expect(calls().ScanCommand).toBeUndefined();
    expect(calls().QueryCommand).toBe(1 + (extra as number));
    expect(calls().GetItemCommand).toBe(1 + (extra as number));
    expect(calls().BatchGetItemCommand).toBe(Math.ceil(keys / 100));
    // Measured: 4 calls for the head coach (1 GetItem + 1 Query + 2 BatchGet), 7 for a member (3 BatchGet).
    expect(counter.total()).toBe(2 + Math.ceil(keys / 100) + 2 * (extra as number));
  });
});
