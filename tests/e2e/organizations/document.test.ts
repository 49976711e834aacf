import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../../support/dynamodb';
import { apiKey, bearer } from '../../support/http';
import { accept, createUser } from '../../support/org-fixture';
import { step } from '../../support/step';
import { startTestStack, type TestStack } from '../../support/stack';

/**
 * The Organizations document's curl examples, in order, over HTTP against the local stack, then the
 * audit log they leave behind (actors and targets) after the stream has been drained. Each example's
 * writes are a step (tests/support/step.ts) that first takes the steps before it, so every test also
 * runs alone; in a full run each request is made once, in the document's order.
 */
let stack: TestStack;
let appKey: string;
let headCoach: string;
let athlete: string;
let orgId: string;
let headToken: string;

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('organizations document');
  headCoach = await createUser(stack, appKey, 'Coach Abc');
  athlete = await createUser(stack, appKey, 'Alexandra Athlete');
  await stack.http.put(
    `/api/v1/users/${athlete}`,
    {
      profile_image_url: 'https://cdn.astral.run/images/alex.jpg',
      gender: 'male',
      connections: { strava: true, garmin: false },
      training_zones: { pace_zones: [{ min_s_per_km: 240, max_s_per_km: 300 }] },
      race_goal: { race_name: 'City Marathon', race_date: '2999-10-01' },
      training_plan: { name: 'Base' },
      privacy: { share_profile_info: true, share_with_coach: true },
    },
    { headers: bearer(await stack.token(athlete)) },
  );
  const created = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    {
      name: 'Summit Running Club',
      description: 'Elite distance running program',
      head_coach_user_id: headCoach,
      settings: { logo_url: 'https://cdn.astral.run/logos/summit.png' },
    },
    { headers: apiKey(appKey) },
  );
  expect(created.status).toBe(201);
  orgId = created.body?.organization.org_id ?? '';
  headToken = await stack.token(headCoach);
});

afterAll(async () => {
  await stack?.stop();
});

const settingsUpdated = step(() =>
  stack.http.put(
    `/api/v1/organizations/${orgId}`,
    { settings: { training_principle: 'Polarized training with 80/20 easy-hard split.' } },
    { headers: bearer(headToken) },
  ),
);

/** A clash with another club's name (409, nothing written), then a rename that frees the old name. */
const renamed = step(async () => {
  await settingsUpdated();
  const other = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: 'Valley Harriers', head_coach_user_id: headCoach },
    { headers: apiKey(appKey) },
  );
  const clash = await stack.http.put(
    `/api/v1/organizations/${orgId}`,
    { name: '  valley   HARRIERS ', settings: { x: 1 } },
    { headers: bearer(headToken) },
  );
  const unchanged = await stack.http.get(`/api/v1/organizations/${orgId}`);
  const rename = await stack.http.put(
    `/api/v1/organizations/${orgId}`,
    { name: 'Summit Running Collective' },
    { headers: bearer(headToken) },
  );
  // The old name is free again; the new one is taken.
  const reuse = await stack.http.post(
    '/api/v1/organizations',
    { name: 'summit running club', head_coach_user_id: headCoach },
    { headers: apiKey(appKey) },
  );
  const taken = await stack.http.post(
    '/api/v1/organizations',
    { name: 'SUMMIT running collective', head_coach_user_id: headCoach },
    { headers: apiKey(appKey) },
  );
  const back = await stack.http.put(`/api/v1/organizations/${orgId}`, { name: 'Summit Running Club ' }, { headers: bearer(headToken) });
  return { other, clash, unchanged, rename, reuse, taken, back };
});

/** The document's member, added; then the same user again (409) and an unknown one (404). */
const memberAdded = step(async () => {
  await renamed();
  const body = { user_id: athlete, display_name: 'Alex', member_level: 'intermediate', labels: ['5k-focus', 'morning-group'] };
  const added = await stack.http.post(`/api/v1/organizations/${orgId}/members`, body, { headers: bearer(headToken) });
  const again = await stack.http.post(`/api/v1/organizations/${orgId}/members`, body, { headers: bearer(headToken) });
  const unknown = await stack.http.post(
    `/api/v1/organizations/${orgId}/members`,
    { user_id: 'usr_nobodyhere' },
    { headers: bearer(headToken) },
  );
  return { added, again, unknown };
});

/** A label dropped, then both answers the example needs (privacy.md §8). */
const memberAccepted = step(async () => {
  await memberAdded();
  const updated = await stack.http.put(
    `/api/v1/organizations/${orgId}/members/${athlete}`,
    { labels: ['5k-focus'] },
    { headers: bearer(headToken) },
  );
  // The example needs the athlete's acceptance (profile_status is shown for accepted members only) and
  // the head coach's (the photo and gender follow the lister's relationship: coach once accepted).
  await accept(stack, orgId, athlete);
  await accept(stack, orgId, headCoach);
  return { updated };
});

/** The member removed (a tombstone), then added again; what the roster and the table say in between. */
const memberRemovedAndReadded = step(async () => {
  await memberAccepted();
  const removed = await stack.http.delete(`/api/v1/organizations/${orgId}/members/${athlete}`, { headers: bearer(headToken) });
  const items = await testDocumentClient().send(
    new ScanCommand({
      TableName: stack.tableName,
      FilterExpression: 'sk = :sk',
      ExpressionAttributeValues: { ':sk': `MEMBER#${athlete}` },
    }),
  );
  const list = await stack.http.get(`/api/v1/organizations/${orgId}/members`, { headers: bearer(headToken) });
  const removedAgain = await stack.http.delete(`/api/v1/organizations/${orgId}/members/${athlete}`, { headers: bearer(headToken) });
  const again = await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: athlete }, { headers: bearer(headToken) });
  return { removed, items, list, removedAgain, again };
});

describe('the Organizations document, from update to audit logs', () => {
  it('PUT /organizations/{id} merges settings (omitted keys kept) and answers as the document shows', async () => {
    const response = await settingsUpdated();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      message: 'Organization updated successfully',
      organization: {
        org_id: orgId,
        org_name: 'Summit Running Club',
        settings: {
          training_principle: 'Polarized training with 80/20 easy-hard split.',
          logo_url: 'https://cdn.astral.run/logos/summit.png',
        },
      },
    });
    const get = await stack.http.get(`/api/v1/organizations/${orgId}`);
    expect(get.body?.settings).toEqual({
      training_principle: 'Polarized training with 80/20 easy-hard split.',
      logo_url: 'https://cdn.astral.run/logos/summit.png',
    });
    expect(get.body?.description).toBe('Elite distance running program');
  });

  it('a rename keeps names unique ignoring case and spaces (409, nothing written), and frees the old name', async () => {
    const { other, clash, unchanged, rename, reuse, taken, back } = await renamed();
    expect(other.status).toBe(201);
    expect(clash.status).toBe(409);
    expect(unchanged.body?.org_name).toBe('Summit Running Club');
    expect((unchanged.body?.settings as Record<string, unknown>).x).toBeUndefined();
    expect(rename.status).toBe(200);
    expect((rename.body?.organization as Record<string, unknown>).org_name).toBe('Summit Running Collective');
    expect(reuse.status).toBe(201);
    expect(taken.status).toBe(409);
    expect(back.status).toBe(409);
  });

  it('POST /members adds a member exactly as the document shows (201), then 409 for the same user, 404 for an unknown one', async () => {
    const { added, again, unknown } = await memberAdded();
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      message: 'Member added successfully',
      // The document's member, plus the athlete's answer to come (privacy.md §8).
      member: {
        user_id: athlete,
        display_name: 'Alex',
        member_level: 'intermediate',
        labels: ['5k-focus', 'morning-group'],
        status: 'active',
        consent: 'pending',
        joined_at: expect.stringMatching(ISO_Z),
      },
    });
    expect(again.status).toBe(409);
    expect(unknown.status).toBe(404);
  });

  it('GET /members?status=active&include_profile_status=true lists with profile_status as the document shows', async () => {
    expect((await memberAccepted()).updated.status).toBe(200);
    const response = await stack.http.get(`/api/v1/organizations/${orgId}/members?status=active&include_profile_status=true`, {
      headers: bearer(headToken),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      members: [
        {
          user_id: athlete,
          display_name: 'Alex',
          member_level: 'intermediate',
          labels: ['5k-focus'],
          status: 'active',
          consent: 'accepted',
          joined_at: expect.stringMatching(ISO_Z),
          profile_status: {
            has_strava: true,
            has_garmin: false,
            has_pace_zones: true,
            has_hr_zones: false,
            has_next_race: true,
            has_training_plan: true,
            has_mbti: false,
            profile_image_url: 'https://cdn.astral.run/images/alex.jpg',
            gender: 'male',
          },
        },
      ],
      count: 1,
    });
    const inactive = await stack.http.get(`/api/v1/organizations/${orgId}/members?status=inactive`, { headers: bearer(headToken) });
    expect(inactive.body).toEqual({ members: [], count: 0 });
  });

  it('DELETE /members/{user_id} removes the member (200) as a tombstone; removed members are never listed and may be added again', async () => {
    const { removed, items, list, removedAgain, again } = await memberRemovedAndReadded();
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ message: 'Member removed successfully' });
    expect(items.Items).toEqual([
      expect.objectContaining({ status: 'removed', removed_by: headCoach, last_actor_id: headCoach, expires_at: expect.any(Number) }),
    ]);
    expect((items.Items?.[0]?.expires_at as number) * 1000).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    expect(list.body).toEqual({ members: [], count: 0 });
    expect(removedAgain.status).toBe(404);
    expect(again.status).toBe(201);
    // Without a coach nickname the roster shows the athlete's own name.
    expect((again.body?.member as Record<string, unknown>).display_name).toBe('Alexandra Athlete');
  });

  it('GET /audit-logs lists the events newest first, each naming its actor and target, as the document shows', async () => {
    await memberRemovedAndReadded();
    await stack.drainStreams();
    const response = await stack.http.get<{ logs: Record<string, unknown>[]; count: number }>(`/api/v1/organizations/${orgId}/audit-logs`, {
      headers: bearer(headToken),
    });
    expect(response.status).toBe(200);
    const logs = response.body?.logs ?? [];
    expect(response.body?.count).toBe(logs.length);
    // Newest first, and within one second in the order the changes happened (the writer's key carries
    // the stream sequence number): the member's story reads backwards exactly.
    const times = logs.map((l) => String(l.created_at));
    expect([...times].sort().reverse()).toEqual(times);
    expect(logs.filter((l) => String(l.event_type).startsWith('member_')).map((l) => l.event_type)).toEqual([
      'member_added',
      'member_removed',
      'member_accepted',
      'member_updated',
      'member_added',
    ]);
    // The answers name the one who gave them (privacy.md §8).
    expect(logs.filter((l) => String(l.event_type).endsWith('_accepted')).map((l) => [l.event_type, l.actor_id])).toEqual([
      ['coach_accepted', headCoach],
      ['member_accepted', athlete],
    ]);
    expect(logs.at(-1)?.event_type).toBe('organization_created');
    const count = (type: string) => logs.filter((l) => l.event_type === type).length;
    expect([count('member_added'), count('member_removed'), count('member_updated'), count('organization_created')]).toEqual([2, 1, 1, 1]);
    expect(count('organization_updated')).toBeGreaterThanOrEqual(2);
    expect(logs).toContainEqual({
      event_type: 'member_added',
      actor_id: headCoach,
      target_id: athlete,
      target_name: 'Alex',
      org_id: orgId,
      created_at: expect.stringMatching(ISO_Z),
    });
    expect(logs).toContainEqual(
      expect.objectContaining({ event_type: 'member_removed', actor_id: headCoach, target_id: athlete, target_name: 'Alex' }),
    );
    expect(logs).toContainEqual(expect.objectContaining({ event_type: 'member_added', target_name: 'Alexandra Athlete' }));
    expect(logs).toContainEqual(
      expect.objectContaining({
        event_type: 'member_updated',
        actor_id: headCoach,
        changes: { labels: { before: ['5k-focus', 'morning-group'], after: ['5k-focus'] } },
      }),
    );
    for (const log of logs)
      expect(
        Object.keys(log).every((k) =>
          ['event_type', 'actor_id', 'target_id', 'target_name', 'org_id', 'created_at', 'changes'].includes(k),
        ),
      ).toBe(true);

    const filtered = await stack.http.get<{ logs: Record<string, unknown>[] }>(
      `/api/v1/organizations/${orgId}/audit-logs?event_type=member_removed`,
      { headers: bearer(headToken) },
    );
    expect(filtered.body?.logs.map((l) => l.event_type)).toEqual(['member_removed']);
  });

  it('audit-log pages: limit and next_token walk every event once; a token replayed on another filter or org is a 400 naming next_token', async () => {
    await memberRemovedAndReadded();
    await stack.drainStreams();
    const all = await stack.http.get<{ logs: { created_at: string; event_type: string }[] }>(
      `/api/v1/organizations/${orgId}/audit-logs?limit=100`,
      { headers: bearer(headToken) },
    );
    const seen: string[] = [];
    let token: string | undefined;
    let first: string | undefined;
    do {
      const page = await stack.http.get<{ logs: { event_type: string }[]; count: number; next_token?: string }>(
        `/api/v1/organizations/${orgId}/audit-logs?limit=2${token ? `&next_token=${token}` : ''}`,
        { headers: bearer(headToken) },
      );
      expect(page.status).toBe(200);
      expect(page.body?.count).toBeLessThanOrEqual(2);
      seen.push(...(page.body?.logs ?? []).map((l) => l.event_type));
      token = page.body?.next_token;
      first ??= token;
    } while (token);
    expect(seen).toEqual(all.body?.logs.map((l) => l.event_type));
    const replay = await stack.http.get(`/api/v1/organizations/${orgId}/audit-logs?limit=2&event_type=member_added&next_token=${first}`, {
      headers: bearer(headToken),
    });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ code: 'validation_error', details: [{ path: 'next_token' }] });
    for (const limit of ['0', '101', 'x']) {
      const bad = await stack.http.get(`/api/v1/organizations/${orgId}/audit-logs?limit=${limit}`, { headers: bearer(headToken) });
      expect(bad.status).toBe(400);
    }
  });
});
