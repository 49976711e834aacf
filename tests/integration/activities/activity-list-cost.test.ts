import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { instrumentClient, newInvocation, type DynamoCall, withInvocation } from '../../../bench/dynamo-recorder';
import { type Activity, newActivityId } from '../../../lib/activities';
import { documentClient } from '../../../lib/db/client';
import { FeedProjector } from '../../../lib/feed/feed-projector';
import { ActivityRepository } from '../../../lib/repositories/activity-repository';
import { ConsentRepository } from '../../../lib/repositories/consent-repository';
import { FeedRepository } from '../../../lib/repositories/feed-repository';
import { keys } from '../../../lib/repositories/keys';
import { MemberRepository } from '../../../lib/repositories/member-repository';
import { OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';
import { userRequest } from '../../support/handler-request';

/**
 * What a 20-activity page reads (issue 14, "Activity summaries"), measured in read units on DynamoDB
 * Local through the handlers' own path (bench/dynamo-recorder.ts asks each call for its consumed
 * capacity). Activities here are the size the issue measured (splits, a polyline: ≈ 2.3 KB each).
 * Before: the page's Query read whole activities (the `ACT#` range, or feed entries that copied them);
 * after: summaries. Read units, not time: deterministic.
 */
const PAGE = 20;
const owner = 'usr_costowner00001';
const coach = 'usr_costcoach00001';
const orgId = 'org_listcost000001';
const legacyFeed = 'org_listcostlegacy';
let table: string;
const activities: Activity[] = [];

type Handle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let activitiesList: Handle;
let membersView: Handle;
let feedList: Handle;

function sizedActivity(i: number): Activity {
  const start = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
  return {
    activity_id: newActivityId(start),
    user_id: owner,
    type: 'run',
    name: `Long run ${i}`,
    start_time: start,
    distance_m: 10_000,
    moving_time_s: 2700,
    elapsed_time_s: 2800,
    avg_pace_s_per_km: 270,
    splits: Array.from({ length: 10 }, () => ({ distance_m: 1000, time_s: 270, pace_s_per_km: 270 })),
    map: { polyline: 'x'.repeat(1400), start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] },
    avg_heart_rate: 151,
    max_heart_rate: 178,
    elevation_gain_m: 85,
    avg_cadence: 178,
    avg_power_w: 290,
    created_at: start,
  };
}

beforeAll(async () => {
  table = await createTestTable('list-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  process.env.PAGE_TOKEN_SECRET ??= 'list-cost-test-page-token-secret';
  const client = testDocumentClient();
  const users = new UserRepository(client, table);
  await users.create({ user_id: owner, display_name: 'Owner' }, 'test');
  await users.create({ user_id: coach, display_name: 'Coach' }, 'test');
  await new OrganizationRepository(client, table).create(
    { org_id: orgId, org_name: 'List Cost Club', head_coach_user_id: coach, settings: {}, plan: 'standard' },
    'test',
  );
  await new MemberRepository(client, table).add(orgId, { user_id: owner, athlete_name: 'Owner' }, coach, coach);
  await new ConsentRepository(client, table).answer(owner, orgId, 'accepted');
  await new ConsentRepository(client, table).answer(coach, orgId, 'accepted');
  const repository = new ActivityRepository(client, table);
  const projector = new FeedProjector(client, table);
  const legacy = new FeedRepository(client, table);
  for (let i = 0; i < PAGE; i++) {
    const activity = sizedActivity(i);
    activities.push(activity);
    await repository.create(activity);
    // What the stream delivers for the insert: the projector writes the feed entry from it.
    const item = { ...keys.activity(owner, activity.activity_id), entity: 'activity', last_actor_id: owner, ...activity };
    const record: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { NewImage: marshall(item) as never } };
    await projector.project(record);
    // As the projector wrote entries before summaries: the whole activity.
    await legacy.put(legacyFeed, activity);
  }
  instrumentClient(documentClient());
  activitiesList = ((await import('../../../functions/activities-list/handler')) as unknown as { handle: Handle }).handle;
  membersView = ((await import('../../../functions/members-view/handler')) as unknown as { handle: Handle }).handle;
  feedList = ((await import('../../../functions/feed-list/handler')) as unknown as { handle: Handle }).handle;
});

async function recorded(work: () => Promise<unknown>): Promise<DynamoCall[]> {
  const invocation = newInvocation('cost');
  await withInvocation(invocation, async () => {
    await work();
  });
  return invocation.calls;
}

const queryUnits = (calls: readonly DynamoCall[]): number[] => calls.filter((c) => c.operation === 'Query').map((c) => c.readUnits);

describe('a 20-activity page, in read units', () => {
  it('before: one Query of whole activities is 6 RRU (≈ 2.3 KB each, 46 KB, eventually consistent)', async () => {
    const { pk, skPrefix } = keys.activitiesOf(owner);
    const calls = await recorded(() =>
      documentClient().send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ScanIndexForward: false,
          Limit: PAGE,
        }),
      ),
    );
    expect(queryUnits(calls)).toEqual([6]);
  });

  it('GET /users/{id}/activities: one Query of 20 summaries, 1 RRU', async () => {
    let body: { count?: number } = {};
    const calls = await recorded(async () => {
      const response = await activitiesList(userRequest(owner, { user_id: owner }, { limit: PAGE }));
      body = response.body as { count: number };
    });
    expect(body.count).toBe(PAGE);
    expect(queryUnits(calls)).toEqual([1]);
  });

  it('the coach view: its 20 recent activities in one Query of summaries, 1 RRU', async () => {
    let body: { activities?: unknown[] } = {};
    const calls = await recorded(async () => {
      const response = await membersView(userRequest(coach, { org_id: orgId, user_id: owner }));
      expect(response.status).toBe(200);
      body = response.body as { activities: unknown[] };
    });
    expect(body.activities).toHaveLength(PAGE);
    expect(queryUnits(calls)).toEqual([1]);
  });

  // Feed entries keep their ids and org_id beside the summary (the projector deletes and the reader
  // relates by them): ≈ 480 bytes each, so 20 are 9.6 KB, 1.5 RRU eventually consistent.
  it('the feed: a page of 20 projected summaries is 1.5 RRU; of whole-activity entries (before) 6', async () => {
    let body: { count?: number } = {};
    const calls = await recorded(async () => {
      const response = await feedList(userRequest(coach, { org_id: orgId }, { limit: PAGE }));
      body = response.body as { count: number };
    });
    expect(body.count).toBe(PAGE);
    expect(queryUnits(calls)).toEqual([1.5]);
    const before = await recorded(() => new FeedRepository(documentClient(), table).page(legacyFeed, PAGE));
    expect(queryUnits(before)).toEqual([6]);
  });
});
