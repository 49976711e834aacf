import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../support/dynamodb';
import { apiKey, bearer, type HttpResult } from '../support/http';
import { createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';
import { tableDigest } from '../support/table-digest';

/**
 * Issue 13's reproductions, over HTTP: each answered 500 (or was silently accepted) and is now a 400
 * that names the field, with nothing written. Bodies are raw JSON text, as an attacker sends them:
 * `1e-200` and `9007199254740993` do not survive JSON.stringify of a JavaScript number.
 */
let stack: TestStack;
let cast: OrgCast;
let head: Record<string, string>;
let athlete: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(new Date('2026-06-15T12:00:00Z'));
  cast = await createOrgCast(stack);
  head = bearer(await stack.token(cast.headCoach));
  athlete = bearer(await stack.token(cast.athlete));
});

afterAll(async () => {
  await stack?.stop();
});

type Details = { path: string; message: string }[];
const pathsOf = (response: HttpResult): string[] => ((response.body?.details ?? []) as Details).map((d) => d.path);

/** Sends a raw JSON body; expects a 400 whose details name `path` (or a path under it) and an unchanged table. */
/** The table once the stream consumers (audit log, feed) have caught up with every earlier write. */
async function settledDigest(): Promise<string> {
  await stack.drainStreams();
  return tableDigest(stack.tableName);
}

async function expectRefused(method: 'POST' | 'PUT', path: string, json: string, headers: Record<string, string>, field: string) {
  const before = await settledDigest();
  const response = await stack.http.request(method, path, { body: json, headers: { 'content-type': 'application/json', ...headers } });
  expect({ status: response.status, code: response.body?.code }).toEqual({ status: 400, code: 'validation_error' });
  expect(pathsOf(response).some((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
  expect(await settledDigest()).toBe(before);
  return response;
}

const nestedJson = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const ACTIVITY = '"type": "run", "name": "Morning run", "start_time": "2026-06-01T07:00:00Z", "moving_time_s": 1500';

describe('numbers the store cannot hold, nesting, prototype keys: 400 naming the field', () => {
  const settingsCases: [string, string][] = [
    ['1e200', '{"limit": 1e200}'],
    ['1e-200', '{"limit": 1e-200}'],
    ['9007199254740993', '{"limit": 9007199254740993}'],
    ['nested 40 levels', nestedJson(40)],
    ['nested 10,000 levels', nestedJson(10_000)],
    ['a constructor key', '{"constructor": 1}'],
  ];

  it.each(settingsCases)('organization settings with %s (create and update)', async (_name, settings) => {
    const headCoach = JSON.stringify(cast.headCoach);
    await expectRefused(
      'POST',
      '/api/v1/organizations',
      `{"name": "Settings Club", "head_coach_user_id": ${headCoach}, "settings": ${settings}}`,
      apiKey(cast.appKey),
      'settings',
    );
    await expectRefused('PUT', `/api/v1/organizations/${cast.orgId}`, `{"settings": ${settings}}`, head, 'settings');
  });

  it.each<[string, string, string]>([
    ['distance_m 1e-200', '"distance_m": 1e-200', 'distance_m'],
    ['distance_m 1e-9 (the derived pace passed MAX_SAFE_INTEGER)', '"distance_m": 1e-9', 'distance_m'],
    ['avg_cadence 5e-324', '"distance_m": 5000, "avg_cadence": 5e-324', 'avg_cadence'],
    ['map.start_latlng 1e-200', '"distance_m": 5000, "map": {"polyline": "", "start_latlng": [1e-200, 0]}', 'map.start_latlng'],
    ['a __proto__ key', '"distance_m": 5000, "map": {"polyline": "", "__proto__": {"x": 1}}', 'map.__proto__'],
  ])('an activity with %s', async (_name, fields, field) => {
    await expectRefused(
      'POST',
      `/api/v1/users/${cast.athlete}/activities`,
      `{${ACTIVITY.replace(/"start_time[^,]*,/, '"start_time": "2026-06-01T07:00:00Z",')}, ${fields}}`,
      athlete,
      field,
    );
  });

  it('an activity dated 9999-12-31, or more than a day after now (the pinned clock)', async () => {
    const dated = (at: string) => `{"type": "run", "name": "Run", "start_time": "${at}", "distance_m": 5000, "moving_time_s": 1500}`;
    const path = `/api/v1/users/${cast.athlete}/activities`;
    await expectRefused('POST', path, dated('9999-12-31T00:00:00Z'), athlete, 'start_time');
    await expectRefused('POST', path, dated('2026-06-16T12:00:01Z'), athlete, 'start_time');
    const tomorrow = await stack.http.post(path, JSON.parse(dated('2026-06-16T12:00:00Z')), { headers: athlete });
    expect(tomorrow.status).toBe(201);
  });

  it('a tiny distance with a long time stores no pace beyond its range', async () => {
    const response = await stack.http.post<{ activity: Record<string, unknown> }>(
      `/api/v1/users/${cast.athlete}/activities`,
      { type: 'run', name: 'Stood still', start_time: '2026-06-02T07:00:00Z', distance_m: 0.001, moving_time_s: 3600 },
      { headers: athlete },
    );
    expect(response.status).toBe(201);
    expect(response.body?.activity.avg_pace_s_per_km).toBeUndefined();
  });

  it('a profile race_history[].distance_m of 1e-200; a __proto__ key in privacy', async () => {
    const path = `/api/v1/users/${cast.athlete}`;
    await expectRefused(
      'PUT',
      path,
      '{"race_history": [{"race_name": "M", "date": "2026-01-01", "distance_m": 1e-200}]}',
      athlete,
      'race_history.0.distance_m',
    );
    const response = await expectRefused('PUT', path, '{"privacy": {"__proto__": {"share_pb": true}}}', athlete, 'privacy.__proto__');
    expect(response.body?.details).toEqual([{ path: 'privacy.__proto__', message: 'this key is not allowed' }]);
  });

  it('found by the fuzz suite: an empty settings patch is a 200, an empty key is named `""`', async () => {
    const empty = await stack.http.put(`/api/v1/organizations/${cast.orgId}`, { settings: {} }, { headers: head });
    expect(empty.status).toBe(200);
    const response = await expectRefused('PUT', `/api/v1/organizations/${cast.orgId}`, '{"description": "x", "": 1}', head, '""');
    expect(response.body?.details).toEqual([{ path: '""', message: 'unknown field' }]);
  });

  it('a lone surrogate in any text', async () => {
    await expectRefused('PUT', `/api/v1/users/${cast.athlete}`, '{"bio": "a\\ud800"}', athlete, 'bio');
  });
});

describe('names: NFC, no control, bidi or zero-width characters, uniqueness on the folded form', () => {
  const create = (name: string) =>
    stack.http.post<{ organization: { org_id: string; org_name: string } }>(
      '/api/v1/organizations',
      { name, head_coach_user_id: cast.headCoach },
      { headers: apiKey(cast.appKey) },
    );

  it('"Org A\\u200b RT" is a 400; "org a  rt" while "Org A RT" exists is a 409, on create and on rename', async () => {
    expect((await create('Org A RT')).status).toBe(201);
    await expectRefused(
      'POST',
      '/api/v1/organizations',
      JSON.stringify({ name: 'Org A\u200b RT', head_coach_user_id: cast.headCoach }),
      apiKey(cast.appKey),
      'name',
    );
    const before = await settledDigest();
    const taken = await create('org a  rt');
    expect({ status: taken.status, code: (taken.body as { code?: string } | undefined)?.code }).toEqual({ status: 409, code: 'conflict' });
    const renamed = await stack.http.put(`/api/v1/organizations/${cast.orgId}`, { name: 'ＯＲＧ Ａ ＲＴ' }, { headers: head });
    expect(renamed.status).toBe(409);
    expect(await settledDigest()).toBe(before);
  });

  it.each<[string, 'POST' | 'PUT', () => string, () => Record<string, string>, string]>([
    [
      'an organization rename with a bidi override',
      'PUT',
      () => `/api/v1/organizations/${cast.orgId}`,
      () => head,
      '{"name": "Club \\u202eRT"}',
    ],
    [
      'a group name with a zero-width joiner',
      'POST',
      () => `/api/v1/organizations/${cast.orgId}/groups`,
      () => head,
      '{"name": "Group\\u200dA"}',
    ],
    [
      'a member display_name with a control character',
      'POST',
      () => `/api/v1/organizations/${cast.orgId}/members`,
      () => head,
      `{"user_id": "usr_nobodyhere0001", "display_name": "A\\u0007"}`,
    ],
    [
      'a user display_name with a bidi isolate',
      'PUT',
      () => `/api/v1/users/${cast.athlete}`,
      () => athlete,
      '{"display_name": "Ada\\u2066"}',
    ],
    ['a user display_name of spaces only', 'POST', () => '/api/v1/users', () => apiKey(cast.appKey), '{"display_name": " \\u00a0 "}'],
  ])('%s is a 400 naming the field', async (_name, method, path, headers, json) => {
    const field = json.includes('display_name') ? 'display_name' : 'name';
    await expectRefused(method, path(), json, headers(), field);
  });

  it('renames an organization whose name marker was stored under the earlier fold (invisible characters kept)', async () => {
    const created = await create('Legacy\u00ad Club');
    const orgId = created.body?.organization.org_id ?? '';
    // As the earlier fold stored it: the soft hyphen kept in the marker's key and in `name_key`.
    const client = testDocumentClient();
    const legacyKey = 'legacy\u00ad club';
    await client.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: 'ORGNAME#legacy club', sk: 'ORGNAME' } }));
    await client.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { pk: `ORGNAME#${legacyKey}`, sk: 'ORGNAME', entity: 'organization_name', org_id: orgId },
      }),
    );
    await client.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `ORG#${orgId}`, sk: 'ORG' },
        UpdateExpression: 'SET name_key = :k',
        ExpressionAttributeValues: { ':k': legacyKey },
      }),
    );
    const renamed = await stack.http.put(`/api/v1/organizations/${orgId}`, { name: 'Legacy Club Renamed' }, { headers: head });
    expect(renamed.status).toBe(200);
    const marker = (key: string) =>
      client.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `ORGNAME#${key}`, sk: 'ORGNAME' }, ConsistentRead: true }));
    expect((await marker(legacyKey)).Item).toBeUndefined();
    expect((await marker('legacy club renamed')).Item?.org_id).toBe(orgId);
  });

  it('stores text in NFC: a decomposed name comes back composed, and folds with the composed one', async () => {
    const created = await create('Cafe\u0301 Runners');
    expect(created.status).toBe(201);
    expect(created.body?.organization.org_name).toBe('Café Runners');
    expect((await create('CAFÉ RUNNERS')).status).toBe(409);
  });
});
