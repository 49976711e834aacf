import { accept, createUser } from '../support/org-fixture';
import { type CapturedLogs, captureLogs } from '../support/log-capture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * What the functions write to their logs (issue 15): structured JSON with the request id, the route,
 * the cold-start flag and (in AWS) the trace id, EMF metrics per route, and never an athlete's data
 * or a credential. Every line the handlers, the authorizer and the stream consumers write during a
 * flow full of sentinels is inspected.
 */

// Sentinels in every athlete field a request carries, and in the credentials.
const NAME = 'Zebulon Sentinelname';
const BIO = 'sentinel-bio-7f3a';
const ACTIVITY_NAME = 'sentinel-activity-name-91c2';
const POLYLINE = 'sentinelPolyline_qq';
const BAD_FIELD_VALUE = 'sentinel-invalid-nickname-value-which-is-far-too-long'.repeat(4);

let stack: TestStack;
let logs: CapturedLogs;
let appKey: string;
let athleteToken: string;
let coachToken: string;
const quiet = process.env.ASTRAL_QUIET;

beforeAll(async () => {
  // Info lines and metrics are what this test reads: the test stack is otherwise quiet.
  process.env.ASTRAL_QUIET = 'false';
  stack = await startTestStack();
  logs = captureLogs();
  appKey = await stack.appKey('log hygiene');
  const athlete = await createUser(stack, appKey, NAME);
  const coach = await createUser(stack, appKey, 'Coach Logs');
  athleteToken = await stack.token(athlete);
  coachToken = await stack.token(coach);
  const asAthlete = { headers: { Authorization: `Bearer ${athleteToken}` } };
  const asCoach = { headers: { Authorization: `Bearer ${coachToken}` } };

  expect((await stack.http.put(`/api/v1/users/${athlete}`, { bio: BIO }, asAthlete)).status).toBe(200);
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `Log Club ${Math.random().toString(36).slice(2)}`, head_coach_user_id: coach },
    { headers: { 'X-API-Key': appKey } },
  );
  const orgId = org.body?.organization.org_id ?? '';
  expect((await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: athlete }, asCoach)).status).toBe(201);
  await accept(stack, orgId, athlete);
  const posted = await stack.http.post(
    `/api/v1/users/${athlete}/activities`,
    {
      type: 'run',
      name: ACTIVITY_NAME,
      start_time: '2026-11-30T07:00:00Z',
      distance_m: 10_000,
      moving_time_s: 3_000,
      elapsed_time_s: 3_100,
      map: { polyline: POLYLINE, start_latlng: [40, -74], end_latlng: [40.1, -74.1] },
      avg_heart_rate: 150,
    },
    asAthlete,
  );
  expect(posted.status).toBe(201);
  await stack.drainStreams();
  expect((await stack.http.get(`/api/v1/organizations/${orgId}/members/${athlete}`, asCoach)).status).toBe(200);
  expect((await stack.http.get(`/api/v1/organizations/${orgId}/feed`, asCoach)).status).toBe(200);
  // Refused input and refused credentials log too: neither may echo what was sent.
  expect((await stack.http.put(`/api/v1/users/${athlete}`, { nickname: BAD_FIELD_VALUE }, asAthlete)).status).toBe(400);
  expect((await stack.http.get(`/api/v1/users/${athlete}`, { headers: { Authorization: `Bearer ${athleteToken}x` } })).status).toBe(401);
  expect((await stack.http.post('/api/v1/users', { display_name: NAME }, { headers: { 'X-API-Key': `${appKey}x` } })).status).toBe(401);
});

afterAll(async () => {
  logs?.restore();
  await stack?.stop();
  if (quiet === undefined) delete process.env.ASTRAL_QUIET;
  else process.env.ASTRAL_QUIET = quiet;
});

describe('function logs', () => {
  it('never carry an athlete’s data or a credential', () => {
    const text = logs.lines().join('\n');
    // A line per request (its metrics on it) and one per refused credential: a search of nothing passes.
    expect(logs.lines().length).toBeGreaterThan(10);
    for (const secret of [NAME, 'Sentinelname', BIO, ACTIVITY_NAME, POLYLINE, 'sentinel-invalid', appKey, athleteToken, coachToken]) {
      expect(text).not.toContain(secret);
    }
    // Nor any part of a token: its signature alone would be replayable evidence of it.
    expect(text).not.toContain(athleteToken.split('.')[2]);
  });

  it('are JSON, one line per request, with the request id, the route, the status and the cold-start flag', () => {
    const requests = logs.records().filter((record) => record.message === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(8);
    for (const record of requests) {
      expect(record).toMatchObject({ level: 'INFO', service: 'astral' });
      expect(typeof record.request_id).toBe('string');
      expect(typeof record.route).toBe('string');
      expect(typeof record.status).toBe('number');
      expect(typeof record.cold_start).toBe('boolean');
      expect(typeof record.function_name).toBe('string');
      expect(typeof record.timestamp).toBe('string');
    }
    expect(requests.map((record) => record.route)).toEqual(expect.arrayContaining(['users-update', 'activities-create', 'members-view']));
    expect(requests.find((record) => record.status === 400)).toMatchObject({ route: 'users-update' });
  });

  it('log a refused credential by its reason only', () => {
    const rejected = logs.records().filter((record) => record.message === 'credentials rejected');
    expect(rejected.map((record) => record.reason).sort()).toEqual(['invalid_token', 'unknown_app_key']);
  });

  it('carry per-route metrics in embedded metric format on the request line: requests, 4xx, 5xx, latency', () => {
    const metrics = logs.records().filter((record) => typeof record._aws === 'object');
    // One line per request, not two: the metrics ride on it, and the logger drops none of their keys.
    expect(metrics.every((record) => record.message === 'request' && record.service === 'astral')).toBe(true);
    expect(logs.lines().filter((line) => line.includes('reserved key'))).toEqual([]);
    const updates = metrics.filter((record) => record.route === 'users-update');
    expect(updates).toHaveLength(2);
    const directive = (
      updates[0]?._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }
    ).CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('Astral');
    expect(directive?.Dimensions).toEqual([expect.arrayContaining(['service', 'route'])]);
    expect(directive?.Metrics.map((metric) => metric.Name).sort()).toEqual(['Latency', 'Requests', 'Status4xx', 'Status5xx']);
    expect(updates.map((record) => [record.Requests, record.Status4xx, record.Status5xx]).sort()).toEqual([
      [1, 0, 0],
      [1, 1, 0],
    ]);
    for (const record of updates) expect(record.Latency).toBeGreaterThanOrEqual(0);
  });
});
