import { createUser } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';
import { step } from '../support/step';

/**
 * Consent over HTTP (privacy.md §8, issue "Athlete consent"): the attack chain an app key and one
 * token make possible without consent — create an organization naming yourself head coach, add
 * anyone, read them — and what each answer of the athlete opens and closes, request by request.
 * Every hideable field of the victim carries a sentinel; a sentinel may appear only where the
 * spec allows its field. The chain's writes are steps (tests/support/step.ts) that first take the
 * steps before them, so every test also runs alone; a full run makes each request once, in order.
 */
const MARK = {
  bio: 'MARKbio',
  gender: 'MARKgender',
  image: 'https://cdn.example/MARKimage.jpg',
  race: 'MARKrace',
  pb: 'MARKpb',
  goal: 'MARKgoal',
  zone: 'MARKzone',
  polyline: 'MARKpolyline',
};
const PROFILE = {
  bio: MARK.bio,
  gender: MARK.gender,
  profile_image_url: MARK.image,
  race_history: [{ race_name: MARK.race, date: '2025-10-12', finish_time_s: 10800 }],
  personal_bests: [{ distance: MARK.pb, time_s: 1200 }],
  race_goal: { race_name: MARK.goal, race_date: '2099-04-21', goal_time_s: 10500 },
  training_zones: { pace_zones: [{ name: MARK.zone, min_s_per_km: 240, max_s_per_km: 270 }] },
  connections: { strava: true, garmin: false },
};
const activity = (name: string) => ({
  type: 'run',
  name,
  start_time: '2026-11-01T07:00:00Z',
  distance_m: 10000,
  moving_time_s: 2700,
  map: { polyline: MARK.polyline, start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] },
  avg_heart_rate: 151,
});

let stack: TestStack;
let appKey: string;
let attacker: string;
let victim: string;
let fellow: string;
let orgId: string;
let activityId: string;
const bearer = async (userId: string) => ({ headers: { Authorization: `Bearer ${await stack.token(userId)}` } });

function noSentinel(text: string): void {
  for (const marker of Object.values(MARK)) expect(text).not.toContain(marker);
}

/** Everything the attacker (head coach) and a fellow member can reach about the victim: exactly the public view. */
async function expectPublicViewOfVictim(): Promise<void> {
  for (const viewer of [attacker, fellow]) {
    const as = await bearer(viewer);
    const profile = await stack.http.get(`/api/v1/users/${victim}`, as);
    expect([viewer, profile.status, Object.keys(profile.body ?? {}).sort()]).toEqual([viewer, 200, ['display_name', 'user_id']]);
    const single = await stack.http.get(`/api/v1/users/${victim}/activities/${activityId}`, as);
    expect([viewer, single.status]).toEqual([viewer, 404]);
    const list = await stack.http.get<{ count: number }>(`/api/v1/users/${victim}/activities`, as);
    expect([viewer, list.body?.count]).toEqual([viewer, 0]);
    const feed = await stack.http.get<{ activities: { user_id: string }[] }>(`/api/v1/organizations/${orgId}/feed`, as);
    expect([viewer, feed.status, feed.body?.activities.filter((a) => a.user_id === victim)]).toEqual([viewer, 200, []]);
    const board = await stack.http.get<{ entries: { user_id: string }[] }>(
      `/api/v1/organizations/${orgId}/leaderboard?metric=distance&period=all`,
      as,
    );
    expect([viewer, board.status, board.body?.entries.filter((e) => e.user_id === victim)]).toEqual([viewer, 200, []]);
    noSentinel(profile.text + single.text + list.text + feed.text + board.text);
  }
  const as = await bearer(attacker);
  const view = await stack.http.get<{ member: Record<string, unknown>; athlete: Record<string, unknown>; activities: unknown[] }>(
    `/api/v1/organizations/${orgId}/members/${victim}`,
    as,
  );
  expect(view.status).toBe(200);
  expect(Object.keys(view.body?.athlete ?? {}).sort()).toEqual(['display_name', 'user_id']);
  expect(view.body?.activities).toEqual([]);
  const roster = await stack.http.get<{ members: Record<string, unknown>[] }>(
    `/api/v1/organizations/${orgId}/members?include_profile_status=true`,
    as,
  );
  const entry = roster.body?.members.find((m) => m.user_id === victim);
  expect(entry).toMatchObject({ consent: 'pending' });
  expect(entry).not.toHaveProperty('profile_status');
  noSentinel(view.text + roster.text);
}

async function expectCoachViewOfVictim(): Promise<void> {
  const as = await bearer(attacker);
  const profile = await stack.http.get<Record<string, unknown>>(`/api/v1/users/${victim}`, as);
  expect(profile.body).toMatchObject({ bio: MARK.bio, race_goal: PROFILE.race_goal });
  expect((await stack.http.get(`/api/v1/users/${victim}/activities/${activityId}`, as)).status).toBe(200);
  const roster = await stack.http.get<{ members: Record<string, unknown>[] }>(
    `/api/v1/organizations/${orgId}/members?include_profile_status=true`,
    as,
  );
  expect(roster.body?.members.find((m) => m.user_id === victim)).toMatchObject({
    consent: 'accepted',
    profile_status: { has_strava: true },
  });
  // The fellow member is group: the activity is open to them under the default settings.
  expect((await stack.http.get(`/api/v1/users/${victim}/activities/${activityId}`, await bearer(fellow))).status).toBe(200);
}

const answer = async (userId: string, consent: string, org = orgId) =>
  stack.http.put<{ membership: Record<string, unknown> }>(`/api/v1/users/me/memberships/${org}`, { consent }, await bearer(userId));

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('consent e2e');
  [attacker, victim, fellow] = (await Promise.all(
    ['Mallory', 'Victor Victim', 'Fay Fellow'].map((name) => createUser(stack, appKey, name)),
  )) as [string, string, string];
  const victimAuth = await bearer(victim);
  expect((await stack.http.put(`/api/v1/users/${victim}`, PROFILE, victimAuth)).status).toBe(200);
  const created = await stack.http.post<{ activity: { activity_id: string } }>(
    `/api/v1/users/${victim}/activities`,
    activity('Home loop'),
    victimAuth,
  );
  activityId = created.body?.activity.activity_id ?? '';
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * An app key makes an organization with the attacker as head coach, who accepts that (it opens nothing
 * of anyone else), adds the victim (pending) and a fellow member, who accepts.
 */
const chainStarted = step(async () => {
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `Sock Puppet Club ${Date.now()}`, head_coach_user_id: attacker },
    { headers: { 'X-API-Key': appKey } },
  );
  orgId = org.body?.organization.org_id ?? '';
  const attackerAnswer = await answer(attacker, 'accepted');
  const added = await stack.http.post<{ member: Record<string, unknown> }>(
    `/api/v1/organizations/${orgId}/members`,
    { user_id: victim },
    await bearer(attacker),
  );
  const fellowAdded = await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: fellow }, await bearer(attacker));
  const fellowAnswer = await answer(fellow, 'accepted');
  await stack.drainStreams();
  return { org, attackerAnswer, added, fellowAdded, fellowAnswer };
});

const victimAccepted = step(async () => {
  await chainStarted();
  return answer(victim, 'accepted');
});

/** The victim leaves; what the attacker and the fellow can read then; the attacker adds them again. */
const victimLeftAndReadded = step(async () => {
  await victimAccepted();
  const left = await stack.http.delete(`/api/v1/organizations/${orgId}/members/${victim}`, await bearer(victim));
  const activityAfterLeaving: number[] = [];
  for (const viewer of [attacker, fellow]) {
    activityAfterLeaving.push((await stack.http.get(`/api/v1/users/${victim}/activities/${activityId}`, await bearer(viewer))).status);
  }
  const readded = await stack.http.post<{ member: Record<string, unknown> }>(
    `/api/v1/organizations/${orgId}/members`,
    { user_id: victim },
    await bearer(attacker),
  );
  return { left, activityAfterLeaving, readded };
});

describe('the attack chain fails', () => {
  it('an app key makes an organization with the attacker as head coach; the attacker adds the victim: 201, pending', async () => {
    const { org, attackerAnswer, added, fellowAdded, fellowAnswer } = await chainStarted();
    expect(org.status).toBe(201);
    expect(attackerAnswer.status).toBe(200);
    expect(added.status).toBe(201);
    expect(added.body?.member).toMatchObject({ user_id: victim, status: 'active', consent: 'pending' });
    expect(fellowAdded.status).toBe(201);
    expect(fellowAnswer.status).toBe(200);
  });

  it('the attacker and a fellow member get exactly the public view of the pending victim, on every endpoint', async () => {
    await chainStarted();
    await expectPublicViewOfVictim();
  });

  it('the victim sees the pending tie, with who invited them', async () => {
    await chainStarted();
    const mine = await stack.http.get<{ memberships: Record<string, unknown>[]; count: number }>(
      '/api/v1/users/me/memberships',
      await bearer(victim),
    );
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      count: 1,
      memberships: [
        {
          org_id: orgId,
          org_name: expect.stringContaining('Sock Puppet Club'),
          role: 'member',
          status: 'active',
          consent: 'pending',
          invited_by: attacker,
          invited_at: expect.stringMatching(/Z$/),
        },
      ],
    });
  });

  it('the victim accepts: the coach view opens on the next request; a second answer is 409', async () => {
    const accepted = await victimAccepted();
    expect(accepted.status).toBe(200);
    expect(accepted.body?.membership).toMatchObject({ org_id: orgId, consent: 'accepted', roles: ['member'] });
    await expectCoachViewOfVictim();
    const again = await answer(victim, 'declined');
    expect(again.status).toBe(409);
    const mine = await stack.http.get<{ memberships: Record<string, unknown>[] }>('/api/v1/users/me/memberships', await bearer(victim));
    expect(mine.body?.memberships[0]).toMatchObject({ consent: 'accepted', answered_at: expect.stringMatching(/Z$/) });
  });

  it('an activity recorded after accepting reaches the feed and the leaderboard', async () => {
    await victimAccepted();
    const created = await stack.http.post<{ activity: { activity_id: string } }>(
      `/api/v1/users/${victim}/activities`,
      { ...activity('After yes'), start_time: '2026-11-02T07:00:00Z' },
      await bearer(victim),
    );
    expect(created.status).toBe(201);
    await stack.drainStreams();
    const feed = await stack.http.get<{ activities: { activity_id: string }[] }>(
      `/api/v1/organizations/${orgId}/feed`,
      await bearer(fellow),
    );
    expect(feed.body?.activities.map((a) => a.activity_id)).toContain(created.body?.activity.activity_id);
    const board = await stack.http.get<{ entries: { user_id: string }[] }>(
      `/api/v1/organizations/${orgId}/leaderboard?metric=distance&period=all`,
      await bearer(fellow),
    );
    expect(board.body?.entries.map((e) => e.user_id)).toContain(victim);
    // Back to the one activity the public-view checks look for.
    expect(
      (await stack.http.delete(`/api/v1/users/${victim}/activities/${created.body?.activity.activity_id}`, await bearer(victim))).status,
    ).toBe(200);
    await stack.drainStreams();
  });

  it('the victim leaves: closed on the next request; re-added: pending again', async () => {
    const { left, activityAfterLeaving, readded } = await victimLeftAndReadded();
    expect(left.status).toBe(200);
    expect(activityAfterLeaving).toEqual([404, 404]);
    expect(readded.status).toBe(201);
    expect(readded.body?.member).toMatchObject({ consent: 'pending' });
    await expectPublicViewOfVictim();
  });

  it('the victim declines: the tie ends (a tombstone naming the victim), audited; nothing left to answer', async () => {
    await victimLeftAndReadded();
    const declined = await answer(victim, 'declined');
    expect(declined.status).toBe(200);
    expect(declined.body?.membership).toMatchObject({ consent: 'declined', roles: ['member'] });
    const roster = await stack.http.get<{ members: { user_id: string }[] }>(
      `/api/v1/organizations/${orgId}/members`,
      await bearer(attacker),
    );
    expect(roster.body?.members.map((m) => m.user_id)).not.toContain(victim);
    expect((await stack.http.get<{ count: number }>('/api/v1/users/me/memberships', await bearer(victim))).body?.count).toBe(0);
    expect((await answer(victim, 'accepted')).status).toBe(404);
    await stack.drainStreams();
    const logs = await stack.http.get<{ logs: { event_type: string; actor_id: string; target_id: string }[] }>(
      `/api/v1/organizations/${orgId}/audit-logs`,
      await bearer(attacker),
    );
    const events = logs.body?.logs.filter((l) => l.target_id === victim).map((l) => [l.event_type, l.actor_id]);
    expect(events).toEqual([
      ['member_declined', victim],
      ['member_added', attacker],
      ['member_removed', victim],
      ['member_accepted', victim],
      ['member_added', attacker],
    ]);
    expect(logs.body?.logs.filter((l) => l.target_id === attacker).map((l) => l.event_type)).toEqual(['coach_accepted']);
  });
});

describe('coaches and head coaches share nothing, and see nothing, until they accept', () => {
  it('a coach added (and named member too) shares none of their own data with the members until they accept, and sees members as the public does', async () => {
    await chainStarted();
    const coach = await createUser(stack, appKey, 'Cora Coach');
    const coachAuth = await bearer(coach);
    expect((await stack.http.put(`/api/v1/users/${coach}`, PROFILE, coachAuth)).status).toBe(200);
    const own = await stack.http.post<{ activity: { activity_id: string } }>(
      `/api/v1/users/${coach}/activities`,
      activity('Coach run'),
      coachAuth,
    );
    const coachActivity = own.body?.activity.activity_id ?? '';
    const asAttacker = await bearer(attacker);
    const added = await stack.http.post<{ coach: Record<string, unknown> }>(
      `/api/v1/organizations/${orgId}/coaches`,
      { user_id: coach, role: 'assistant_coach' },
      asAttacker,
    );
    expect(added.status).toBe(201);
    expect(added.body?.coach).toMatchObject({ user_id: coach, consent: 'pending' });
    expect((await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: coach }, asAttacker)).status).toBe(201);
    // A pending coach still manages (the organization's designation) …
    expect((await stack.http.get(`/api/v1/organizations/${orgId}/members`, coachAuth)).status).toBe(200);
    // … but is related to nobody: the fellow member is public to them, and they to the fellow.
    const fellowActivity = await stack.http.post<{ activity: { activity_id: string } }>(
      `/api/v1/users/${fellow}/activities`,
      activity('Fellow run'),
      await bearer(fellow),
    );
    const fellowActivityId = fellowActivity.body?.activity.activity_id ?? '';
    expect((await stack.http.get(`/api/v1/users/${fellow}/activities/${fellowActivityId}`, coachAuth)).status).toBe(404);
    const seenByFellow = await stack.http.get(`/api/v1/users/${coach}`, await bearer(fellow));
    expect(Object.keys(seenByFellow.body ?? {}).sort()).toEqual(['display_name', 'user_id']);
    expect((await stack.http.get(`/api/v1/users/${coach}/activities/${coachActivity}`, await bearer(fellow))).status).toBe(404);
    noSentinel(seenByFellow.text);

    const mine = await stack.http.get<{ memberships: { role: string; consent: string }[] }>('/api/v1/users/me/memberships', coachAuth);
    expect(mine.body?.memberships.map((m) => [m.role, m.consent]).sort()).toEqual([
      ['coach', 'pending'],
      ['member', 'pending'],
    ]);
    const accepted = await answer(coach, 'accepted');
    expect(accepted.body?.membership).toMatchObject({ consent: 'accepted', roles: ['member', 'coach'] });
    expect((await stack.http.get(`/api/v1/users/${fellow}/activities/${fellowActivityId}`, coachAuth)).status).toBe(200);
    expect((await stack.http.get(`/api/v1/users/${coach}/activities/${coachActivity}`, await bearer(fellow))).status).toBe(200);
  });

  it('a coach who declines leaves the coaches list, audited with them as actor', async () => {
    await chainStarted();
    const coach = await createUser(stack, appKey, 'Dee Decliner');
    expect(
      (await stack.http.post(`/api/v1/organizations/${orgId}/coaches`, { user_id: coach, role: 'assistant_coach' }, await bearer(attacker)))
        .status,
    ).toBe(201);
    expect((await answer(coach, 'declined')).status).toBe(200);
    const org = await stack.http.get<{ coaches: { user_id: string }[] }>(`/api/v1/organizations/${orgId}`);
    expect(org.body?.coaches.map((c) => c.user_id)).not.toContain(coach);
    await stack.drainStreams();
    const logs = await stack.http.get<{ logs: { event_type: string; actor_id: string; target_id: string }[] }>(
      `/api/v1/organizations/${orgId}/audit-logs?event_type=coach_declined`,
      await bearer(attacker),
    );
    expect(logs.body?.logs.map((l) => [l.target_id, l.actor_id])).toEqual([[coach, coach]]);
  });

  it('a head coach who has not accepted sees an accepted member as the public does; after accepting, as their coach', async () => {
    const head = await createUser(stack, appKey, 'Hana Head');
    const athlete = await createUser(stack, appKey, 'Ari Athlete');
    expect((await stack.http.put(`/api/v1/users/${athlete}`, PROFILE, await bearer(athlete))).status).toBe(200);
    const org = await stack.http.post<{ organization: { org_id: string } }>(
      '/api/v1/organizations',
      { name: `Second Club ${Date.now()}`, head_coach_user_id: head },
      { headers: { 'X-API-Key': appKey } },
    );
    const secondOrg = org.body?.organization.org_id ?? '';
    // Managing does not wait for the head coach's answer.
    expect((await stack.http.post(`/api/v1/organizations/${secondOrg}/members`, { user_id: athlete }, await bearer(head))).status).toBe(
      201,
    );
    expect((await answer(athlete, 'accepted', secondOrg)).status).toBe(200);
    const before = await stack.http.get(`/api/v1/users/${athlete}`, await bearer(head));
    expect(Object.keys(before.body ?? {}).sort()).toEqual(['display_name', 'user_id']);
    expect((await answer(head, 'accepted', secondOrg)).body?.membership).toMatchObject({ roles: ['head_coach'] });
    const after = await stack.http.get(`/api/v1/users/${athlete}`, await bearer(head));
    expect(after.body).toMatchObject({ bio: MARK.bio });
  });
});

describe('answers: validation and errors', () => {
  it('a bad answer is 400 naming the field; an unknown organization is 404; no credentials 401', async () => {
    await chainStarted();
    const as = await bearer(fellow);
    const bad = await stack.http.put<{ details: { path: string }[] }>(`/api/v1/users/me/memberships/${orgId}`, { consent: 'maybe' }, as);
    expect([bad.status, bad.body?.details[0]?.path]).toEqual([400, 'consent']);
    expect((await stack.http.put(`/api/v1/users/me/memberships/${orgId}`, { consent: 'accepted', extra: 1 }, as)).status).toBe(400);
    expect((await stack.http.put('/api/v1/users/me/memberships/org_doesnotexist000000000000', { consent: 'accepted' }, as)).status).toBe(
      404,
    );
    expect((await stack.http.put(`/api/v1/users/me/memberships/not-an-org`, { consent: 'accepted' }, as)).status).toBe(400);
    expect((await stack.http.get('/api/v1/users/me/memberships')).status).toBe(401);
  });
});
