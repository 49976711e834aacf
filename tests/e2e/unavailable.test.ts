import { randomInt } from 'node:crypto';
import { bearer, type HttpResult } from '../support/http';
import { startFlakyDynamoDb, type FlakyDynamoDb } from '../support/flaky-dynamodb';
import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { testDynamoDbEndpoint } from '../support/dynamodb';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A throttled or unreachable table (api.md Conventions: "When the table is throttling or unreachable
 * the answer is 503 {"code": "unavailable"} with Retry-After"). The stack's functions, authorizer and
 * stream consumers reach DynamoDB Local through tests/support/flaky-dynamodb.ts, which answers a share
 * of calls with DynamoDB's ThrottlingException or drops every connection; nothing in the code under
 * test knows. The injection's seed is printed, so a failing run can be replayed (FLAKY_SEED=…).
 */
const SEED = Number(process.env.FLAKY_SEED ?? randomInt(2 ** 31));
const FAILURE_RATE = 0.2;
/**
 * 48 rounds of 13 requests (~1,600 DynamoDB calls). A call fails for good once in ~3,000 (0.2⁵, five
 * attempts: lib/db/client.ts): 2 of 3,120 requests answered 503 over five runs. The bound below is
 * 1 %. At 12 rounds that was one request, and two chance failures in a run (≈ 0.5 % of runs) failed
 * the suite; at 48 it is six where ~0.4 are expected. Three attempts instead of five sit at the bound
 * (5 and 9 of 624 measured); fewer fail it (two attempts: ~4 % of calls).
 */
const ROUNDS = Number(process.env.FLAKY_ROUNDS ?? 48);

let flaky: FlakyDynamoDb;
let stack: TestStack;
let cast: OrgCast;
const auth: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  process.stdout.write(`unavailable.test.ts: FLAKY_SEED=${SEED}\n`);
  flaky = await startFlakyDynamoDb(testDynamoDbEndpoint(), { seed: SEED });
  stack = await startTestStack({ dynamoDbEndpoint: flaky.endpoint });
  cast = await createOrgCast(stack);
  for (const user of [cast.athlete, cast.fellow, cast.headCoach]) auth[user] = bearer(await stack.token(user));
});

afterAll(async () => {
  await stack?.stop();
  await flaky?.stop();
});

const activity = (name: string) => ({
  type: 'run',
  name,
  start_time: '2026-03-18T07:00:00Z',
  distance_m: 10_000,
  moving_time_s: 3_000,
});

interface Outcome {
  readonly label: string;
  readonly result: HttpResult;
}

/** One round of what a club does: athletes log runs, members read the feed and board, integrations call in. */
function round(index: number): Array<() => Promise<Outcome>> {
  const org = `/api/v1/organizations/${cast.orgId}`;
  const call = (label: string, send: () => Promise<HttpResult>) => async (): Promise<Outcome> => ({ label, result: await send() });
  return [
    call('activities-create', () =>
      stack.http.post(`/api/v1/users/${cast.athlete}/activities`, activity(`Run ${index}`), { headers: auth[cast.athlete] }),
    ),
    call('activities-create', () =>
      stack.http.post(`/api/v1/users/${cast.fellow}/activities`, activity(`Jog ${index}`), { headers: auth[cast.fellow] }),
    ),
    call('users-create', () =>
      stack.http.post('/api/v1/users', { display_name: `Newcomer ${index}` }, { headers: { 'X-API-Key': cast.appKey } }),
    ),
    call('users-get (app key)', () => stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: { 'X-API-Key': cast.appKey } })),
    call('feed-list', () => stack.http.get(`${org}/feed`, { headers: auth[cast.fellow] })),
    call('leaderboard-get', () => stack.http.get(`${org}/leaderboard?metric=distance&period=all`, { headers: auth[cast.fellow] })),
    call('members-list', () => stack.http.get(`${org}/members`, { headers: auth[cast.headCoach] })),
    call('members-view', () => stack.http.get(`${org}/members/${cast.athlete}`, { headers: auth[cast.headCoach] })),
    call('activities-list', () => stack.http.get(`/api/v1/users/${cast.athlete}/activities`, { headers: auth[cast.athlete] })),
    call('users-me', () => stack.http.get('/api/v1/users/me', { headers: auth[cast.athlete] })),
    call('organizations-get', () => stack.http.get(org)),
    call('groups-create', () =>
      stack.http.post(`${org}/groups`, { name: `Intervals ${index}`, description: 'Tuesdays' }, { headers: auth[cast.headCoach] }),
    ),
    call('users-update', () => stack.http.put(`/api/v1/users/${cast.fellow}`, { bio: `Round ${index}` }, { headers: auth[cast.fellow] })),
  ];
}

/** Runs the calls a few at a time, as several clients would. */
async function runConcurrently(calls: Array<() => Promise<Outcome>>, concurrency: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls.length) {
      const call = calls[next++];
      if (call) outcomes.push(await call());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** Every activity id of a paged list (`/feed` or a user's `/activities`), following next_token. */
async function allActivityIds(path: string, headers: Record<string, string> | undefined): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await stack.http.get<{ activities: Array<{ activity_id: string }>; next_token?: string }>(
      `${path}?limit=100${token ? `&next_token=${encodeURIComponent(token)}` : ''}`,
      { headers },
    );
    expect(page.status).toBe(200);
    ids.push(...(page.body?.activities.map((a) => a.activity_id) ?? []));
    token = page.body?.next_token;
  } while (token);
  return ids;
}

const allFeedIds = () => allActivityIds(`/api/v1/organizations/${cast.orgId}/feed`, auth[cast.fellow]);
const allActivityIdsOf = (userId: string) => allActivityIds(`/api/v1/users/${userId}/activities`, auth[userId]);

const sum = (map: Map<string, number>) => [...map.values()].reduce((total, n) => total + n, 0);

describe('a table failing one call in five (ThrottlingException)', () => {
  let outcomes: Outcome[];
  let seenWhileFailing = 0;
  let injectedWhileFailing = 0;

  beforeAll(async () => {
    flaky.failureRate = FAILURE_RATE;
    const calls = Array.from({ length: ROUNDS }, (_, index) => round(index)).flat();
    outcomes = await runConcurrently(calls, 6);
    flaky.failureRate = 0;
    // Counted while calls could fail: the drain below adds calls that never can (more of them with
    // every stream consumer), which would dilute the injected share.
    seenWhileFailing = sum(flaky.seen);
    injectedWhileFailing = sum(flaky.injected);
    await stack.drainStreams();
    const unavailable = outcomes.filter((o) => o.result.status === 503).length;
    process.stdout.write(
      `unavailable.test.ts: ${outcomes.length} requests, ${seenWhileFailing} DynamoDB calls (${sum(flaky.seen)} with the drain), ${injectedWhileFailing} throttled, ${unavailable} answered 503\n`,
    );
  }, 600_000);

  it('was really failing calls, on every kind of operation the requests made', () => {
    expect(injectedWhileFailing).toBeGreaterThan(seenWhileFailing * 0.1);
    expect([...flaky.injected.keys()].sort()).toEqual(expect.arrayContaining(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.Query']));
  });

  it('answers no 500: at least 99 % succeed and the rest are 503 unavailable with Retry-After', () => {
    const failed = outcomes.filter((o) => o.result.status >= 300);
    const summary = failed.map((o) => `${o.label} → ${o.result.status} ${o.result.text}`);
    expect(failed.filter((o) => o.result.status !== 503)).toEqual([]);
    for (const { result } of failed) {
      expect(result.body).toEqual({ message: 'the service is briefly unavailable; retry later', code: 'unavailable' });
      expect(result.headers.get('retry-after')).toMatch(/^[0-9]+$/);
    }
    expect({ requests: outcomes.length, failed: summary.length <= outcomes.length / 100 ? 'within 1 %' : summary }).toEqual({
      requests: ROUNDS * 13,
      failed: 'within 1 %',
    });
  });

  it('loses and duplicates nothing in the stream consumers: the feed holds each stored activity exactly once', async () => {
    const created = outcomes
      .filter((o) => o.label === 'activities-create' && o.result.status === 201)
      .map((o) => (o.result.body as { activity: { activity_id: string } }).activity.activity_id);
    const stored = [...(await allActivityIdsOf(cast.athlete)), ...(await allActivityIdsOf(cast.fellow))];
    // A 503 from a write may still have committed it (the client would retry with its Idempotency-Key).
    expect(stored).toEqual(expect.arrayContaining(created));
    const feed = await allFeedIds();
    expect(feed.length).toBe(new Set(feed).size);
    expect(new Set(feed)).toEqual(new Set(stored));
    expect(stack.deadLetters).toEqual([]);
  });

  it('writes each audit event exactly once: one group_created for every group that exists', async () => {
    const groups = await stack.http.get<{ groups: Array<{ group_id: string }> }>(`/api/v1/organizations/${cast.orgId}/groups?limit=100`, {
      headers: auth[cast.headCoach],
    });
    expect(groups.status).toBe(200);
    const groupIds = (groups.body?.groups ?? []).map((g) => g.group_id).sort();
    const created = outcomes.filter((o) => o.label === 'groups-create' && o.result.status === 201);
    expect(groupIds.length).toBeGreaterThanOrEqual(created.length);
    const logs = await stack.http.get<{ logs: Array<{ target_id: string }> }>(
      `/api/v1/organizations/${cast.orgId}/audit-logs?event_type=group_created&limit=100`,
      { headers: auth[cast.headCoach] },
    );
    expect(logs.status).toBe(200);
    expect((logs.body?.logs ?? []).map((log) => log.target_id).sort()).toEqual(groupIds);
  });
});

describe('an unreachable table (every connection dropped)', () => {
  beforeAll(() => {
    flaky.down = true;
  });
  afterAll(() => {
    flaky.down = false;
  });

  it.each([
    ['a user-token read', () => stack.http.get('/api/v1/users/me', { headers: auth[cast.athlete] })],
    [
      'a user-token write',
      () => stack.http.post(`/api/v1/users/${cast.athlete}/activities`, activity('Offline'), { headers: auth[cast.athlete] }),
    ],
    [
      'an app-key call (the authorizer cannot look the key up)',
      () => stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: { 'X-API-Key': cast.appKey } }),
    ],
    ['a public read', () => stack.http.get(`/api/v1/organizations/${cast.orgId}`)],
  ])('%s is a 503 unavailable with Retry-After, never a 500', async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ message: 'the service is briefly unavailable; retry later', code: 'unavailable' });
    expect(response.headers.get('retry-after')).toBe('1');
  });
});
