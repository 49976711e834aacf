import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, type TestStack } from '../support/stack';
import { testDocumentClient } from '../support/dynamodb';
import { step } from '../support/step';

let stack: TestStack;
let appKey: string;
let headCoachId: string;

/** Through the test HTTP client, so each response is also checked against the OpenAPI document. */
async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  return stack.http.request(method, path, options);
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function countEntities(entity: string): Promise<number> {
  // Test-only inspection of the whole table: request paths never scan.
  const out = await testDocumentClient().send(
    new ScanCommand({ TableName: stack.tableName, FilterExpression: 'entity = :e', ExpressionAttributeValues: { ':e': entity } }),
  );
  return out.Count ?? 0;
}

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('first-slice tests');
  const created = await call('POST', '/api/v1/users', { headers: { 'X-API-Key': appKey }, body: { display_name: 'Coach Abc' } });
  expect(created.status).toBe(201);
  headCoachId = (created.body?.user as { user_id: string }).user_id;
});

afterAll(async () => {
  await stack?.stop();
});

describe('the Organizations document, create and get', () => {
  let orgId: string;
  // The document's create, made once for the tests that read it or collide with its name.
  const created = step(async () => {
    const response = await call('POST', '/api/v1/organizations', {
      headers: { 'X-API-Key': appKey },
      body: { name: 'Summit Running Club', description: 'Elite distance running program', head_coach_user_id: headCoachId },
    });
    orgId = (response.body?.organization as { org_id?: string } | undefined)?.org_id ?? '';
    return response;
  });

  it('creates an organization exactly as the document shows (201)', async () => {
    const response = await created();
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const organization = response.body?.organization as Record<string, unknown>;
    expect(response.body).toEqual({ message: 'Organization created successfully', organization });
    expect(Object.keys(organization)).toEqual(['org_id', 'org_name', 'description', 'head_coach_user_id', 'coaches', 'created_at']);
    expect(organization).toMatchObject({
      org_name: 'Summit Running Club',
      description: 'Elite distance running program',
      head_coach_user_id: headCoachId,
      coaches: [],
    });
    expect(organization.org_id).toMatch(/^org_[A-Za-z0-9]{20,}$/);
    expect(organization.created_at).toMatch(ISO_Z);
    expect(orgId).toBe(organization.org_id);
  });

  it('gets the organization with a bearer token, and without one (public), as the document shows (200)', async () => {
    expect((await created()).status).toBe(201);
    const token = await stack.token(headCoachId);
    for (const headers of [{ Authorization: `Bearer ${token}` }, {}] as Record<string, string>[]) {
      const response = await call('GET', `/api/v1/organizations/${orgId}`, { headers });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body ?? {})).toEqual([
        'org_id',
        'org_name',
        'description',
        'head_coach_user_id',
        'coaches',
        'settings',
        'created_at',
      ]);
      expect(response.body).toMatchObject({ org_id: orgId, org_name: 'Summit Running Club', coaches: [], settings: {} });
    }
  });

  it('answers 404 for an organization that does not exist, and 400 for a malformed id', async () => {
    expect((await call('GET', '/api/v1/organizations/org_doesnotexist1')).status).toBe(404);
    const bad = await call('GET', '/api/v1/organizations/not-an-org');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_error', details: [{ path: 'org_id' }] });
  });

  it('refuses a name already taken, ignoring case and spaces (409)', async () => {
    expect((await created()).status).toBe(201);
    const response = await call('POST', '/api/v1/organizations', {
      headers: { 'X-API-Key': appKey },
      body: { name: '  summit   RUNNING club ', head_coach_user_id: headCoachId },
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'conflict' });
  });

  it.each([
    ['missing name', { head_coach_user_id: 'usr_x' }, 'name'],
    ['unknown field', { name: 'Another Club', head_coach_user_id: 'usr_abc123', colour: 'red' }, 'colour'],
    ['wrong type', { name: 42, head_coach_user_id: 'usr_abc123' }, 'name'],
    ['oversized name', { name: 'x'.repeat(500), head_coach_user_id: 'usr_abc123' }, 'name'],
    ['malformed head coach id', { name: 'Another Club', head_coach_user_id: 'usr#1' }, 'head_coach_user_id'],
    ['head coach that does not exist', { name: 'Another Club', head_coach_user_id: 'usr_nobody' }, 'head_coach_user_id'],
    ['settings that are not an object', { name: 'Another Club', head_coach_user_id: 'usr_abc123', settings: 'x' }, 'settings'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_name, body, field) => {
    const before = await countEntities('organization');
    const response = await call('POST', '/api/v1/organizations', { headers: { 'X-API-Key': appKey }, body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_error' });
    expect((response.body?.details as { path: string }[]).map((d) => d.path)).toContain(field);
    expect(await countEntities('organization')).toBe(before);
    expect(await countEntities('organization_name')).toBe(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await call('POST', '/api/v1/organizations', { headers: { 'X-API-Key': appKey }, body: '{"name": ' });
    expect(response.status).toBe(400);
  });

  it('gives exactly one 201 and 409 for the rest when fifty clients create one name at once', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 50 }, () =>
        call('POST', '/api/v1/organizations', {
          headers: { 'X-API-Key': appKey },
          body: { name: 'Race Day Club', head_coach_user_id: headCoachId },
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  });

  // ADR 0014: an app-only route's authorizer is keyed on X-API-Key, so without one API Gateway answers 401
  // before any code runs, whatever else the request carries.
  it('accepts only app keys on create: a user token alone is 401 missing_credentials, as is nothing', async () => {
    const token = await stack.token(headCoachId);
    const asUser = await call('POST', '/api/v1/organizations', {
      headers: { Authorization: `Bearer ${token}` },
      body: { name: 'User Club', head_coach_user_id: headCoachId },
    });
    expect(asUser.status).toBe(401);
    expect(asUser.body).toMatchObject({ details: [{ path: 'headers', reason: 'missing_credentials' }] });
    const anonymous = await call('POST', '/api/v1/organizations', { body: { name: 'User Club', head_coach_user_id: headCoachId } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({
      message: 'invalid or missing credentials',
      code: 'unauthorized',
      details: [{ path: 'headers', message: expect.any(String), reason: 'missing_credentials' }],
    });
  });
});

describe('users', () => {
  it('GET /users/me creates the caller on first call from the token claims, then returns the same user', async () => {
    const token = await stack.token('usr_newcomer1', { name: 'Jane Smith' });
    const first = await call('GET', '/api/v1/users/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ user_id: 'usr_newcomer1', display_name: 'Jane Smith' });
    const privacy = first.body?.privacy as Record<string, boolean>;
    expect(Object.keys(privacy).sort()).toHaveLength(13);
    expect(privacy.share_activity_with_public).toBe(false);
    expect(privacy.paticipate_leaderboard).toBe(true);
    const second = await call('GET', '/api/v1/users/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(second.body).toEqual(first.body);
  });

  it('POST /users needs an app key (a user token alone is 401: its authorizer is keyed on X-API-Key) and validates the body', async () => {
    const token = await stack.token('usr_newcomer1');
    expect(
      (await call('POST', '/api/v1/users', { headers: { Authorization: `Bearer ${token}` }, body: { display_name: 'X' } })).status,
    ).toBe(401);
    const bad = await call('POST', '/api/v1/users', { headers: { 'X-API-Key': appKey }, body: { display_name: '', extra: 1 } });
    expect(bad.status).toBe(400);
    expect((bad.body?.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['display_name', 'extra']);
  });
});
