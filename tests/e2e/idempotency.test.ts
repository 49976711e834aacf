import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ROUTES } from '../../functions/manifest';
import { documentClient } from '../../lib/db/client';
import { IDEMPOTENCY_LEASE_SECONDS } from '../../lib/repositories/idempotency-repository';
import { keys } from '../../lib/repositories/keys';
import { totalAttribute } from '../../lib/repositories/period-totals';
import { testDocumentClient } from '../support/dynamodb';
import { failNthWrite } from '../support/fault-injection';
import { apiKey, bearer } from '../support/http';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Issue 13, "retries create nothing twice": the Idempotency-Key of api.md Conventions over HTTP.
 * The same key and request → the first response and nothing new; another request → 409
 * `idempotency_key_reused`; concurrent retries → one resource; keys are per caller.
 */
let stack: TestStack;
let seq = 0;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const run = (name = 'Morning run') => ({ type: 'run', name, start_time: '2026-03-04T07:00:00Z', distance_m: 5000, moving_time_s: 1500 });

async function athlete(): Promise<{ id: string; headers: Record<string, string> }> {
  const id = `usr_idempotent${process.pid.toString(36)}${++seq}`;
  const headers = bearer(await stack.token(id, { name: 'Idem Athlete' }));
  expect((await stack.http.get('/api/v1/users/me', { headers })).status).toBe(200);
  return { id, headers };
}

async function activityIds(user: { id: string; headers: Record<string, string> }): Promise<string[]> {
  const list = await stack.http.get<{ activities: { activity_id: string }[] }>(`/api/v1/users/${user.id}/activities?limit=100`, {
    headers: user.headers,
  });
  return (list.body?.activities ?? []).map((a) => a.activity_id);
}

/** The all-time activity count on the profile: what leaderboards sum. */
async function countedRuns(userId: string): Promise<unknown> {
  const profile = await testDocumentClient().send(
    new GetCommand({ TableName: stack.tableName, Key: keys.user(userId), ConsistentRead: true }),
  );
  return profile.Item?.[totalAttribute('all', 'all', 'count')];
}

describe('Idempotency-Key on POST /users/{id}/activities', () => {
  it('the same key and body twice: the same status and body, one activity, counted once in the totals', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'run-2026-03-04-a' };
    const first = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    const again = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await activityIds(user)).toHaveLength(1);
    expect(await countedRuns(user.id)).toBe(1);
  });

  it('the same body with its keys in another order is the same request', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'reordered' };
    const first = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    const { moving_time_s, distance_m, ...rest } = run();
    const again = await stack.http.post(`/api/v1/users/${user.id}/activities`, { moving_time_s, ...rest, distance_m }, { headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(await activityIds(user)).toHaveLength(1);
  });

  it('the same key with another body: 409 idempotency_key_reused, nothing created', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'run-reused' };
    expect((await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers })).status).toBe(201);
    const other = await stack.http.post(`/api/v1/users/${user.id}/activities`, run('Evening run'), { headers });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await activityIds(user)).toHaveLength(1);
    expect(await countedRuns(user.id)).toBe(1);
  });

  it('10 concurrent POSTs with one key: exactly one activity; each answer is the first response or 409 in progress', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'concurrent-retries' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers })),
    );
    const ids = await activityIds(user);
    expect(ids).toHaveLength(1);
    expect(await countedRuns(user.id)).toBe(1);
    for (const answer of answers) {
      if (answer.status === 201) expect(answer.body).toMatchObject({ activity: { activity_id: ids[0] } });
      else {
        expect(answer.status).toBe(409);
        expect(answer.body).toMatchObject({ code: 'idempotency_key_in_progress' });
      }
    }
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
    // Once the first has finished, a retry gets its response.
    const later = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ activity: { activity_id: ids[0] } });
  });

  it('keys are per caller: another user sending the same key creates their own activity', async () => {
    const a = await athlete();
    const b = await athlete();
    const first = await stack.http.post(`/api/v1/users/${a.id}/activities`, run(), {
      headers: { ...a.headers, 'Idempotency-Key': 'shared-key' },
    });
    const second = await stack.http.post(`/api/v1/users/${b.id}/activities`, run(), {
      headers: { ...b.headers, 'Idempotency-Key': 'shared-key' },
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).not.toEqual(first.body);
    expect(await activityIds(a)).toHaveLength(1);
    expect(await activityIds(b)).toHaveLength(1);
  });

  it('a request that failed gives its key back: the retry runs', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'after-a-failure' };
    // Another user's path: 403, nothing created; the key is free again for the same request.
    const other = await athlete();
    expect((await stack.http.post(`/api/v1/users/${other.id}/activities`, run(), { headers })).status).toBe(403);
    expect((await stack.http.post(`/api/v1/users/${other.id}/activities`, run(), { headers })).status).toBe(403);
    expect((await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers })).status).toBe(201);
  });
});

describe('a first attempt that died mid-way', () => {
  it('holds its key until its lease runs out (409 in progress), then the retry runs it: one activity', async () => {
    const user = await athlete();
    const headers = { ...user.headers, 'Idempotency-Key': 'crashed-first' };
    const start = new Date();
    stack.pinClock(start);
    // Writes: 1 the claim, 2 the activity's transaction, 3 giving the key back. Refusing 2 and 3 leaves
    // the claim in progress, as a function that died after claiming would.
    const fault = failNthWrite(documentClient(), [2, 3]);
    try {
      expect((await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers })).status).toBe(500);
    } finally {
      fault.disarm();
    }
    const early = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'idempotency_key_in_progress' });
    stack.pinClock(new Date(start.getTime() + (IDEMPOTENCY_LEASE_SECONDS + 1) * 1000));
    const retry = await stack.http.post(`/api/v1/users/${user.id}/activities`, run(), { headers });
    stack.pinClock(undefined);
    expect(retry.status).toBe(201);
    expect(await activityIds(user)).toHaveLength(1);
    expect(await countedRuns(user.id)).toBe(1);
  });
});

describe('on the other POST routes (claim, run, record)', () => {
  it('POST /organizations retried with its key: the first response, one organization (no 409 for its own name)', async () => {
    const key = await stack.appKey('idempotent-orgs');
    const head = `usr_idemhead${process.pid.toString(36)}`;
    const headCoach = await stack.http.post<{ user: { user_id: string } }>(
      '/api/v1/users',
      { display_name: 'Idem Head' },
      { headers: apiKey(key) },
    );
    expect(headCoach.status).toBe(201);
    const body = { name: `Idempotent Club ${head}`, head_coach_user_id: headCoach.body?.user.user_id };
    const headers = { ...apiKey(key), 'Idempotency-Key': 'create-club-once' };
    const first = await stack.http.post('/api/v1/organizations', body, { headers });
    const again = await stack.http.post('/api/v1/organizations', body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    // Without the key, the same request is a new one: the name is taken.
    expect((await stack.http.post('/api/v1/organizations', body, { headers: apiKey(key) })).status).toBe(409);
  });
});

describe('POSTs that mint a new id record their response with the resource', () => {
  it('POST /users retried with its key: the same user, created once', async () => {
    const key = await stack.appKey('idempotent-users');
    const headers = { ...apiKey(key), 'Idempotency-Key': 'create-user-once' };
    const first = await stack.http.post<{ user: { user_id: string } }>('/api/v1/users', { display_name: 'Once Only' }, { headers });
    const again = await stack.http.post('/api/v1/users', { display_name: 'Once Only' }, { headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.text).toBe(first.text);
    // Another app key's same key is its own request.
    const otherKey = await stack.appKey('idempotent-users-2');
    const other = await stack.http.post<{ user: { user_id: string } }>(
      '/api/v1/users',
      { display_name: 'Once Only' },
      {
        headers: { ...apiKey(otherKey), 'Idempotency-Key': 'create-user-once' },
      },
    );
    expect(other.status).toBe(201);
    expect(other.body?.user.user_id).not.toBe(first.body?.user.user_id);
  });

  it('POST /organizations/{id}/groups retried with its key: one group', async () => {
    const key = await stack.appKey('idempotent-groups');
    const head = await stack.http.post<{ user: { user_id: string } }>(
      '/api/v1/users',
      { display_name: 'Group Head' },
      { headers: apiKey(key) },
    );
    const headId = head.body?.user.user_id ?? '';
    const org = await stack.http.post<{ organization: { org_id: string } }>(
      '/api/v1/organizations',
      { name: `Groups Club ${process.pid.toString(36)}`, head_coach_user_id: headId },
      { headers: apiKey(key) },
    );
    const orgId = org.body?.organization.org_id ?? '';
    const headers = { ...bearer(await stack.token(headId)), 'Idempotency-Key': 'one-group' };
    const first = await stack.http.post(`/api/v1/organizations/${orgId}/groups`, { name: 'Dawn Patrol' }, { headers });
    const again = await stack.http.post(`/api/v1/organizations/${orgId}/groups`, { name: 'Dawn Patrol' }, { headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.text).toBe(first.text);
    const list = await stack.http.get<{ groups: unknown[] }>(`/api/v1/organizations/${orgId}/groups`, { headers });
    expect(list.body?.groups).toHaveLength(1);
  });
});

describe('every POST route takes the header', () => {
  const posts = ROUTES.filter((route) => route.method === 'POST');

  it('the manifest has POST routes, and the OpenAPI document lists the header and the 409 on each', async () => {
    expect(posts.length).toBeGreaterThanOrEqual(7);
    const document = (await import('../../docs/openapi.json')) as unknown as {
      paths: Record<string, Record<string, { parameters?: { $ref?: string }[]; responses: Record<string, unknown> }>>;
    };
    for (const route of posts) {
      const operation = document.paths[route.path.replace(/^\/api\/v1/, '')]?.post;
      expect(operation?.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      expect(operation?.responses).toHaveProperty('409');
    }
  });

  it.each([
    ['empty', ''],
    ['longer than 128', 'k'.repeat(129)],
    ['a space', 'has space'],
    ['non-ASCII', 'caf\u00e9'],
  ])('a key %s is a 400 naming the header, on every POST route', async (_label, value) => {
    const key = await stack.appKey('idempotency-header');
    const token = await stack.token('usr_idempotencyheader1');
    for (const route of posts) {
      const credential = route.contract.credentials.includes('user') ? bearer(token) : apiKey(key);
      const path = route.path
        .replace(/\{user_id\}/g, 'usr_idempotencyheader1')
        .replace(/\{(\w+)\}/g, (_m, name: string) => `${name.split('_')[0]}_x`);
      const response = await stack.http.post(path, {}, { headers: { ...credential, 'Idempotency-Key': value } });
      expect([route.name, response.status]).toEqual([route.name, 400]);
      expect(response.body).toMatchObject({ details: [{ path: 'headers.idempotency-key' }] });
    }
  });

  it('a valid key passes on every POST route (the answer is about the request, not the header)', async () => {
    const key = await stack.appKey('idempotency-valid');
    const token = await stack.token('usr_idempotencyheader2');
    for (const route of posts) {
      const credential = route.contract.credentials.includes('user') ? bearer(token) : apiKey(key);
      const path = route.path
        .replace(/\{user_id\}/g, 'usr_idempotencyheader2')
        .replace(/\{(\w+)\}/g, (_m, name: string) => `${name.split('_')[0]}_x`);
      const response = await stack.http.post(path, {}, { headers: { ...credential, 'Idempotency-Key': `valid-${route.name}` } });
      expect(JSON.stringify(response.body)).not.toContain('idempotency');
    }
  });
});
