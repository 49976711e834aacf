import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../../../lib/clock';
import { profileTieAttribute } from '../../../lib/repositories/profile-ties';
import { testDocumentClient } from '../../support/dynamodb';
import { apiKey, bearer } from '../../support/http';
import { accept, createUser } from '../../support/org-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

/**
 * The ties mirrored on profiles (lib/repositories/profile-ties.ts) are what every privacy read relates
 * viewers by, so they must follow the member, coach and organization items through every change made
 * over the API; and a tie in ANOTHER organization must reach the roster, leaderboard and feed of this
 * one on the next request, both when it is made and when it ends.
 */
let stack: TestStack;
let appKey: string;
/** "Now" for the stack's handlers: mid-week, mid-month, so the week's leaderboard never straddles a boundary. */
const NOW = new Date('2026-03-18T12:00:00Z');
const auth: Record<string, Record<string, string>> = {};

async function user(name: string): Promise<string> {
  const id = await createUser(stack, appKey, name);
  auth[id] = bearer(await stack.token(id));
  return id;
}

async function organization(headCoach: string): Promise<string> {
  const response = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `Ties Club ${Math.random().toString(36).slice(2)}`, head_coach_user_id: headCoach },
    { headers: apiKey(appKey) },
  );
  expect(response.status).toBe(201);
  return response.body?.organization.org_id ?? '';
}

async function item(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  return (await testDocumentClient().send(new GetCommand({ TableName: stack.tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

const profile = (userId: string) => item(`USER#${userId}`, 'PROFILE');

/** The profile's membership tie says exactly what the member item says (or both are gone). */
async function expectMemberTieTrue(orgId: string, userId: string, headCoach: string): Promise<void> {
  const member = await item(`ORG#${orgId}`, `MEMBER#${userId}`);
  const tie = (await profile(userId))?.[profileTieAttribute.member(orgId)];
  if (!member || member.status === 'removed') {
    expect(tie).toBeUndefined();
    return;
  }
  expect(tie).toEqual({
    status: member.status,
    head_coach_user_id: headCoach,
    ...(member.assigned_coach_id ? { assigned_coach_id: member.assigned_coach_id } : {}),
    // The invitation and the athlete's answer (privacy.md §8) match the member item's.
    consent: member.consent,
    invited_by: member.invited_by,
    invited_at: member.joined_at,
    ...(member.answered_at ? { answered_at: member.answered_at } : {}),
  });
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(NOW);
  appKey = await stack.appKey('ties');
});

afterAll(async () => {
  await stack.stop();
});

describe('ties on profiles follow every change made through the API', () => {
  it('organization, coach and member lifecycle', async () => {
    const head = await user('Head Hana');
    const coach = await user('Coach Cole');
    const athlete = await user('Athlete Abe');
    const orgId = await organization(head);
    const asHead = { headers: auth[head] };
    const api = (path: string) => `/api/v1/organizations/${orgId}${path}`;

    expect((await profile(head))?.[profileTieAttribute.head(orgId)]).toEqual({
      consent: 'pending',
      invited_by: expect.stringMatching(/^app_/),
      invited_at: expect.any(String),
    });
    await accept(stack, orgId, head);
    expect((await profile(head))?.[profileTieAttribute.head(orgId)]).toMatchObject({
      consent: 'accepted',
      answered_at: expect.any(String),
    });

    expect((await stack.http.post(api('/coaches'), { user_id: coach, role: 'assistant_coach' }, asHead)).status).toBe(201);
    expect((await profile(coach))?.[profileTieAttribute.coach(orgId)]).toMatchObject({
      role: 'assistant_coach',
      consent: 'pending',
      invited_by: head,
    });
    await accept(stack, orgId, coach);
    expect((await profile(coach))?.[profileTieAttribute.coach(orgId)]).toMatchObject({ role: 'assistant_coach', consent: 'accepted' });

    expect((await stack.http.post(api('/members'), { user_id: athlete }, asHead)).status).toBe(201);
    await expectMemberTieTrue(orgId, athlete, head);
    await accept(stack, orgId, athlete);
    await expectMemberTieTrue(orgId, athlete, head);

    const assigned = await stack.http.put<{ member: Record<string, unknown> }>(
      api(`/members/${athlete}`),
      { status: 'inactive', assigned_coach_id: coach },
      asHead,
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body?.member).toMatchObject({ user_id: athlete, status: 'inactive', assigned_coach_id: coach });
    await expectMemberTieTrue(orgId, athlete, head);

    expect((await stack.http.put(api(`/members/${athlete}`), { labels: ['hills'], status: 'active' }, asHead)).status).toBe(200);
    await expectMemberTieTrue(orgId, athlete, head);
    expect((await stack.http.put(api(`/members/${athlete}`), { display_name: 'Abe' }, asHead)).status).toBe(200);
    await expectMemberTieTrue(orgId, athlete, head);

    // Removing the coach ends their tie and clears the assignment on the member and on the tie.
    expect((await stack.http.delete(api(`/coaches/${coach}`), asHead)).status).toBe(200);
    expect((await profile(coach))?.[profileTieAttribute.coach(orgId)]).toBeUndefined();
    expect((await item(`ORG#${orgId}`, `MEMBER#${athlete}`))?.assigned_coach_id).toBeUndefined();
    await expectMemberTieTrue(orgId, athlete, head);

    expect((await stack.http.delete(api(`/members/${athlete}`), asHead)).status).toBe(200);
    await expectMemberTieTrue(orgId, athlete, head);
    expect((await stack.http.post(api('/members'), { user_id: athlete }, asHead)).status).toBe(201);
    await expectMemberTieTrue(orgId, athlete, head);
    await accept(stack, orgId, athlete);
    // Leaving on one's own ends the tie too.
    expect((await stack.http.delete(api(`/members/${athlete}`), { headers: auth[athlete] })).status).toBe(200);
    await expectMemberTieTrue(orgId, athlete, head);
  });

  it('a refused or failed change leaves the ties as they were', async () => {
    const head = await user('Head Hugo');
    const athlete = await user('Athlete Ama');
    const orgId = await organization(head);
    const api = (path: string) => `/api/v1/organizations/${orgId}${path}`;
    expect((await stack.http.post(api('/members'), { user_id: athlete }, { headers: auth[head] })).status).toBe(201);
    const before = await profile(athlete);
    // Not a coach of the organization: 400, nothing written.
    expect(
      (await stack.http.put(api(`/members/${athlete}`), { assigned_coach_id: 'usr_nosuchcoach01' }, { headers: auth[head] })).status,
    ).toBe(400);
    // Already a member: 409, nothing written.
    expect((await stack.http.post(api('/members'), { user_id: athlete }, { headers: auth[head] })).status).toBe(409);
    // Unknown member: 404, and no stray tie for them.
    expect((await stack.http.put(api('/members/usr_nosuchmember1'), { status: 'inactive' }, { headers: auth[head] })).status).toBe(404);
    expect(await profile('usr_nosuchmember1')).toBeUndefined();
    expect(await profile(athlete)).toEqual(before);
  });

  it('the owner never sees the tie attributes on their profile', async () => {
    const head = await user('Head Hera');
    const orgId = await organization(head);
    const own = await stack.http.get(`/api/v1/users/${head}`, { headers: auth[head] });
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('tie#');
    expect(own.text).not.toContain(orgId);
    const me = await stack.http.get('/api/v1/users/me', { headers: auth[head] });
    expect(me.text).not.toContain('tie#');
  });
});

describe('a tie in another organization reaches this one on the next request', () => {
  // Athlete A is in O (head H1) and P (head H2). V coaches both, and is A's assigned coach in P only.
  // A shares with coaches and not with groups, so V sees A exactly while the tie in P holds.
  let a: string;
  let v: string;
  let h1: string;
  let h2: string;
  let orgO: string;
  let orgP: string;

  beforeAll(async () => {
    [a, v, h1, h2] = [await user('Athlete Ari'), await user('Viewer Vic'), await user('Head One'), await user('Head Two')];
    [orgO, orgP] = [await organization(h1), await organization(h2)];
    for (const [orgId, head] of [
      [orgO, h1],
      [orgP, h2],
    ] as const) {
      const asHead = { headers: auth[head] };
      expect(
        (await stack.http.post(`/api/v1/organizations/${orgId}/coaches`, { user_id: v, role: 'assistant_coach' }, asHead)).status,
      ).toBe(201);
      expect((await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: a }, asHead)).status).toBe(201);
      // Everyone accepts (privacy.md §8): this test is about ties that hold.
      for (const userId of [head, v, a]) await accept(stack, orgId, userId);
    }
    expect(
      (await stack.http.put(`/api/v1/organizations/${orgP}/members/${a}`, { assigned_coach_id: v }, { headers: auth[h2] })).status,
    ).toBe(200);
    expect(
      (
        await stack.http.put(
          `/api/v1/users/${a}`,
          {
            profile_image_url: 'https://img.example/ari.png',
            privacy: { share_activity_with_group: false, share_activity_with_coach: true },
          },
          { headers: auth[a] },
        )
      ).status,
    ).toBe(200);
    const run = {
      type: 'run',
      name: 'Tie run',
      start_time: nowIso(new Date(NOW.getTime() - 60_000)),
      distance_m: 8000,
      moving_time_s: 2400,
      elapsed_time_s: 2460,
    };
    expect((await stack.http.post(`/api/v1/users/${a}/activities`, run, { headers: auth[a] })).status).toBe(201);
    await stack.drainStreams();
  });

  async function seenByV(): Promise<{ board: boolean; feed: boolean; rosterPhoto: boolean }> {
    const board = await stack.http.get<{ entries: { user_id: string }[] }>(
      `/api/v1/organizations/${orgO}/leaderboard?metric=distance&period=week`,
      { headers: auth[v] },
    );
    const feed = await stack.http.get<{ activities: { user_id: string }[] }>(`/api/v1/organizations/${orgO}/feed`, { headers: auth[v] });
    const roster = await stack.http.get<{ members: { user_id: string; profile_status: { profile_image_url?: string } }[] }>(
      `/api/v1/organizations/${orgO}/members?include_profile_status=true`,
      { headers: auth[v] },
    );
    expect([board.status, feed.status, roster.status]).toEqual([200, 200, 200]);
    return {
      board: (board.body?.entries ?? []).some((e) => e.user_id === a),
      feed: (feed.body?.activities ?? []).some((e) => e.user_id === a),
      rosterPhoto: (roster.body?.members ?? []).some((m) => m.user_id === a && m.profile_status.profile_image_url !== undefined),
    };
  }

  it('V, assigned in P, is A’s coach in O’s leaderboard, feed and roster; once removed from P, only group', async () => {
    expect(await seenByV()).toEqual({ board: true, feed: true, rosterPhoto: true });
    // H1, head coach of O, is A's coach through O itself.
    const boardH1 = await stack.http.get<{ entries: { user_id: string }[] }>(
      `/api/v1/organizations/${orgO}/leaderboard?metric=distance&period=week`,
      { headers: auth[h1] },
    );
    expect((boardH1.body?.entries ?? []).map((e) => e.user_id)).toContain(a);

    expect((await stack.http.delete(`/api/v1/organizations/${orgP}/coaches/${v}`, { headers: auth[h2] })).status).toBe(200);
    expect(await seenByV()).toEqual({ board: false, feed: false, rosterPhoto: false });
    // The athlete's own profile view from V agrees: only the identity card is left (privacy.md §3).
    const profileFromV = await stack.http.get<Record<string, unknown>>(`/api/v1/users/${a}`, { headers: auth[v] });
    expect(Object.keys(profileFromV.body ?? {}).sort()).toEqual(['display_name', 'user_id']);
  });
});
