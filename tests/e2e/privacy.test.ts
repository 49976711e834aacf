import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../support/dynamodb';
import { createOrgCast, createUser, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * privacy.md over HTTP, with the real cast of an organization: every viewer sees exactly what the
 * spec says, in every scenario the issue names. Expectations come from the oracle below, written from
 * the spec's text, not from the engine.
 */
type Settings = Record<string, boolean>;
type Rel = 'self' | 'coach' | 'group' | 'public';

const DEFAULTS: Settings = {
  share_activity_in_profile: true,
  share_activity_with_group: true,
  share_activity_with_coach: true,
  share_activity_with_public: false,
  share_pace_data: true,
  share_activity_map: true,
  share_race_history: true,
  share_pb: true,
  share_race_goal: true,
  share_profile_info: true,
  share_training_data: true,
  share_with_coach: true,
  paticipate_leaderboard: true,
};

function audience(s: Settings, rel: Rel): boolean {
  if (rel === 'self') return true;
  const master = s.share_activity_in_profile === true;
  const opened =
    master &&
    (rel === 'coach' ? s.share_activity_with_coach : rel === 'group' ? s.share_activity_with_group : s.share_activity_with_public) === true;
  const floor = master && s.share_activity_with_public === true && (rel === 'coach' || rel === 'group');
  return opened || floor;
}

function shows(s: Settings, rel: Rel, setting: string): boolean {
  if (rel === 'self') return true;
  const override =
    rel === 'coach' && s.share_activity_in_profile === true && s.share_activity_with_coach === true && s.share_with_coach === true;
  return audience(s, rel) && (s[setting] === true || override);
}

const ACTIVITY_BASE = ['activity_id', 'user_id', 'type', 'name', 'start_time', 'distance_m', 'moving_time_s', 'elapsed_time_s'];
function expectedActivityKeys(s: Settings, rel: Rel): string[] | undefined {
  if (!audience(s, rel)) return undefined;
  if (rel === 'self') return undefined;
  return [
    ...ACTIVITY_BASE,
    ...(shows(s, rel, 'share_pace_data') ? ['avg_pace_s_per_km', 'splits'] : []),
    ...(shows(s, rel, 'share_activity_map') ? ['map'] : []),
    ...(shows(s, rel, 'share_training_data') ? ['avg_heart_rate', 'max_heart_rate', 'elevation_gain_m', 'avg_cadence', 'avg_power_w'] : []),
  ].sort();
}

/**
 * What a list (activities list, coach view, feed) shows of the same activity: its summary (ADR 0017),
 * the single activity's fields without `splits`; its `map` keeps the start and end points, not the polyline.
 */
function expectedSummaryKeys(s: Settings, rel: Rel): string[] | undefined {
  return expectedActivityKeys(s, rel)?.filter((key) => key !== 'splits');
}

function expectedProfileKeys(s: Settings, rel: Rel): string[] {
  return [
    'user_id',
    'display_name',
    ...(shows(s, rel, 'share_profile_info') ? ['profile_image_url', 'bio', 'gender'] : []),
    ...(shows(s, rel, 'share_race_history') ? ['race_history'] : []),
    ...(shows(s, rel, 'share_pb') ? ['personal_bests'] : []),
    ...(shows(s, rel, 'share_race_goal') ? ['race_goal'] : []),
    ...(shows(s, rel, 'share_training_data') ? ['training_zones'] : []),
  ].sort();
}

/** Unique markers in every field a policy may hide; a marker must never appear where its field may not. */
const MARK = {
  polyline: 'MARKpolyline7q',
  split: 'unused',
  bio: 'MARKbio3k',
  gender: 'MARKgender9z',
  image: 'https://cdn.example/MARKimage2.jpg',
  race: 'MARKracehistory5',
  pb: 'MARKpb8',
  goal: 'MARKgoal4',
  plan: 'MARKplan6',
  zone: 'MARKzone1',
};
const MARK_FIELD: Record<string, string> = {
  [MARK.polyline]: 'map',
  [MARK.bio]: 'bio',
  [MARK.gender]: 'gender',
  [MARK.image]: 'profile_image_url',
  [MARK.race]: 'race_history',
  [MARK.pb]: 'personal_bests',
  [MARK.goal]: 'race_goal',
  [MARK.plan]: 'training_plan',
  [MARK.zone]: 'training_zones',
};

const ACTIVITY = {
  type: 'run',
  name: 'Morning tempo',
  start_time: '2026-11-01T07:00:00Z',
  distance_m: 10000,
  moving_time_s: 2700,
  elapsed_time_s: 2800,
  splits: [{ distance_m: 1000, time_s: 270 }],
  map: { polyline: MARK.polyline, start_latlng: [47.1, 8.5], end_latlng: [47.2, 8.6] },
  avg_heart_rate: 151,
  max_heart_rate: 178,
  elevation_gain_m: 85,
  avg_cadence: 178,
  avg_power_w: 290,
};

const PROFILE = {
  profile_image_url: MARK.image,
  bio: MARK.bio,
  gender: MARK.gender,
  race_history: [{ race_name: MARK.race, date: '2025-10-12', finish_time_s: 10800 }],
  personal_bests: [{ distance: MARK.pb, time_s: 1200 }],
  race_goal: { race_name: MARK.goal, race_date: '2099-04-21', goal_time_s: 10500 },
  training_zones: { pace_zones: [{ name: MARK.zone, min_s_per_km: 240, max_s_per_km: 270 }], hr_zones: [{ min_bpm: 120, max_bpm: 150 }] },
  connections: { strava: true, garmin: false },
  training_plan: { name: MARK.plan },
  mbti: 'INTJ',
};

let stack: TestStack;
let cast: OrgCast;
let activityId: string;
const tokens: Record<string, string> = {};
let viewers: { name: string; rel: Rel; headers: Record<string, string> }[];

beforeAll(async () => {
  stack = await startTestStack();
  cast = await createOrgCast(stack);
  for (const [name, id] of Object.entries({
    athlete: cast.athlete,
    headCoach: cast.headCoach,
    assignedCoach: cast.assignedCoach,
    coCoach: cast.coCoach,
    fellow: cast.fellow,
    stranger: cast.stranger,
  })) {
    tokens[name] = await stack.token(id);
  }
  tokens.admin = await stack.token(cast.admin, { admin: true });
  const bearer = (token: string | undefined) => ({ Authorization: `Bearer ${token}` });
  viewers = [
    { name: 'head coach', rel: 'coach', headers: bearer(tokens.headCoach) },
    { name: 'assigned assistant coach', rel: 'coach', headers: bearer(tokens.assignedCoach) },
    { name: 'unassigned co-coach', rel: 'group', headers: bearer(tokens.coCoach) },
    { name: 'fellow member', rel: 'group', headers: bearer(tokens.fellow) },
    { name: 'stranger', rel: 'public', headers: bearer(tokens.stranger) },
    { name: 'platform admin', rel: 'public', headers: bearer(tokens.admin) },
    { name: 'app key', rel: 'public', headers: { 'X-API-Key': cast.appKey } },
  ];
  const auth = { headers: { Authorization: `Bearer ${tokens.athlete}` } };
  expect((await stack.http.put(`/api/v1/users/${cast.athlete}`, PROFILE, auth)).status).toBe(200);
  const created = await stack.http.post<{ activity: { activity_id: string } }>(`/api/v1/users/${cast.athlete}/activities`, ACTIVITY, auth);
  expect(created.status).toBe(201);
  activityId = created.body?.activity.activity_id ?? '';
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

const asViewer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

async function setPrivacy(settings: Settings): Promise<void> {
  const response = await stack.http.put(`/api/v1/users/${cast.athlete}`, { privacy: settings }, asViewer(tokens.athlete as string));
  expect(response.status).toBe(200);
  expect((response.body as { privacy: Settings }).privacy).toEqual(settings);
}

function assertNoLeak(text: string, allowedFields: readonly string[]): void {
  for (const [marker, field] of Object.entries(MARK_FIELD)) {
    if (!allowedFields.includes(field)) expect(text).not.toContain(marker);
  }
}

const SCENARIOS: [string, Settings][] = [
  ['defaults', DEFAULTS],
  ['master off', { ...DEFAULTS, share_activity_in_profile: false }],
  ['public on', { ...DEFAULTS, share_activity_with_public: true }],
  ['pace off, share_with_coach on', { ...DEFAULTS, share_pace_data: false }],
  ['pace off, share_with_coach off', { ...DEFAULTS, share_pace_data: false, share_with_coach: false }],
  [
    'coach sharing off, public on (the floor)',
    { ...DEFAULTS, share_activity_with_coach: false, share_activity_with_public: true, share_training_data: false },
  ],
  ['leaderboard participation off', { ...DEFAULTS, paticipate_leaderboard: false }],
  ['profile info off', { ...DEFAULTS, share_profile_info: false, share_with_coach: false }],
  [
    'everything off but the master',
    Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, k === 'share_activity_in_profile'])) as Settings,
  ],
];

describe.each(SCENARIOS)('privacy scenario: %s', (_name, settings) => {
  beforeAll(async () => {
    await setPrivacy(settings);
  });

  it('each viewer gets exactly the activity fields privacy.md allows (404 when not visible), single and list', async () => {
    for (const viewer of viewers) {
      const expected = expectedActivityKeys(settings, viewer.rel);
      const single = await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, { headers: viewer.headers });
      const list = await stack.http.get<{ activities: Record<string, unknown>[]; count: number }>(
        `/api/v1/users/${cast.athlete}/activities`,
        { headers: viewer.headers },
      );
      expect(list.status).toBe(200);
      if (expected === undefined) {
        expect([viewer.name, single.status]).toEqual([viewer.name, 404]);
        expect([viewer.name, list.body?.count]).toEqual([viewer.name, 0]);
      } else {
        expect([viewer.name, single.status, Object.keys(single.body ?? {}).sort()]).toEqual([viewer.name, 200, expected]);
        expect([viewer.name, list.body?.count, Object.keys(list.body?.activities[0] ?? {}).sort()]).toEqual([
          viewer.name,
          1,
          expectedSummaryKeys(settings, viewer.rel),
        ]);
      }
      assertNoLeak(single.text + list.text, expected ?? []);
      // A list carries summaries: never the route itself, whatever the viewer may see of it.
      expect([viewer.name, list.text.includes(MARK.polyline)]).toEqual([viewer.name, false]);
    }
  });

  it('each viewer gets exactly the profile fields privacy.md allows', async () => {
    for (const viewer of viewers) {
      const expected = expectedProfileKeys(settings, viewer.rel);
      const profile = await stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: viewer.headers });
      expect([viewer.name, profile.status, Object.keys(profile.body ?? {}).sort()]).toEqual([viewer.name, 200, expected]);
      assertNoLeak(profile.text, expected);
    }
  });

  it('the coach view (coach_view) gives coaches and admins the membership and exactly the athlete fields privacy.md allows them; others are 403', async () => {
    for (const viewer of viewers) {
      const response = await stack.http.get<{
        member: Record<string, unknown>;
        athlete: Record<string, unknown>;
        activities: Record<string, unknown>[];
      }>(`/api/v1/organizations/${cast.orgId}/members/${cast.athlete}`, { headers: viewer.headers });
      const mayView = ['head coach', 'assigned assistant coach', 'unassigned co-coach', 'platform admin'].includes(viewer.name);
      if (!mayView) {
        expect([viewer.name, response.status]).toEqual([viewer.name, 403]);
        assertNoLeak(response.text, []);
        continue;
      }
      expect([viewer.name, response.status]).toEqual([viewer.name, 200]);
      expect(response.body?.member).toMatchObject({ user_id: cast.athlete, status: 'active', assigned_coach_id: cast.assignedCoach });
      expect([viewer.name, Object.keys(response.body?.athlete ?? {}).sort()]).toEqual([
        viewer.name,
        expectedProfileKeys(settings, viewer.rel),
      ]);
      const expected = expectedSummaryKeys(settings, viewer.rel);
      expect([viewer.name, response.body?.activities.map((a) => Object.keys(a).sort())]).toEqual([viewer.name, expected ? [expected] : []]);
      expect([viewer.name, response.text.includes(MARK.polyline)]).toEqual([viewer.name, false]);
      assertNoLeak(response.text, [...expectedProfileKeys(settings, viewer.rel), ...(expected ?? [])]);
    }
  });

  it('the roster (include_profile_status) shows coaches and admins the flags, and the photo and gender only as privacy.md allows', async () => {
    const FLAGS = ['has_strava', 'has_garmin', 'has_pace_zones', 'has_hr_zones', 'has_next_race', 'has_training_plan', 'has_mbti'];
    for (const viewer of viewers) {
      const response = await stack.http.get<{ members: { user_id: string; profile_status: Record<string, unknown> }[] }>(
        `/api/v1/organizations/${cast.orgId}/members?include_profile_status=true`,
        { headers: viewer.headers },
      );
      const mayList = ['head coach', 'assigned assistant coach', 'unassigned co-coach', 'platform admin'].includes(viewer.name);
      if (!mayList) {
        expect([viewer.name, response.status]).toEqual([viewer.name, 403]);
        assertNoLeak(response.text, []);
        continue;
      }
      expect([viewer.name, response.status]).toEqual([viewer.name, 200]);
      const entry = response.body?.members.find((m) => m.user_id === cast.athlete);
      const photo = shows(settings, viewer.rel, 'share_profile_info') ? ['profile_image_url', 'gender'] : [];
      expect([viewer.name, Object.keys(entry?.profile_status ?? {}).sort()]).toEqual([viewer.name, [...FLAGS, ...photo].sort()]);
      expect(entry?.profile_status).toMatchObject({
        has_strava: true,
        has_garmin: false,
        has_pace_zones: true,
        has_hr_zones: true,
        has_next_race: true,
        has_training_plan: true,
        has_mbti: true,
      });
      assertNoLeak(response.text, photo);
    }
  });

  it('the feed and the leaderboard give each viewer exactly what privacy.md allows (members, coaches, admins; others 403)', async () => {
    const insiders = ['head coach', 'assigned assistant coach', 'unassigned co-coach', 'fellow member', 'platform admin'];
    for (const viewer of viewers) {
      const feed = await stack.http.get<{ activities: Record<string, unknown>[] }>(`/api/v1/organizations/${cast.orgId}/feed`, {
        headers: viewer.headers,
      });
      const board = await stack.http.get<{ entries: Record<string, unknown>[] }>(
        `/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=all`,
        { headers: viewer.headers },
      );
      if (!insiders.includes(viewer.name)) {
        expect([viewer.name, feed.status, board.status]).toEqual([viewer.name, 403, 403]);
        assertNoLeak(feed.text + board.text, []);
        continue;
      }
      expect([viewer.name, feed.status, board.status]).toEqual([viewer.name, 200, 200]);
      const expected = expectedSummaryKeys(settings, viewer.rel);
      const item = feed.body?.activities.find((a) => a.activity_id === activityId);
      expect([viewer.name, feed.text.includes(MARK.polyline)]).toEqual([viewer.name, false]);
      expect([viewer.name, item ? Object.keys(item).sort() : undefined]).toEqual([viewer.name, expected]);
      assertNoLeak(feed.text, expected ?? []);
      const listed = settings.paticipate_leaderboard === true && audience(settings, viewer.rel);
      const entry = board.body?.entries.find((e) => e.user_id === cast.athlete);
      const photo = listed && settings.share_profile_info === true ? ['profile_image_url'] : [];
      expect([viewer.name, entry ? Object.keys(entry).sort() : undefined]).toEqual([
        viewer.name,
        listed ? ['display_name', 'rank', 'user_id', 'value', ...photo].sort() : undefined,
      ]);
      assertNoLeak(board.text, photo);
    }
  });

  it('the leaderboard preview shows coach and group audiences the entry the real leaderboard gives them', async () => {
    const audiences: [string, string][] = [
      ['coach', tokens.headCoach as string],
      ['group', tokens.fellow as string],
    ];
    for (const [as, token] of audiences) {
      const preview = await stack.http.get<{ view: { entries: Record<string, unknown>[] } }>(
        `/api/v1/users/${cast.athlete}/privacy/preview?as=${as}&context=leaderboard`,
        asViewer(tokens.athlete as string),
      );
      const board = await stack.http.get<{ entries: Record<string, unknown>[] }>(
        `/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=all`,
        asViewer(token),
      );
      const real = board.body?.entries.find((e) => e.user_id === cast.athlete);
      const previewed = preview.body?.view.entries[0];
      // The preview ranks a sample value; what it must match is who is listed and which fields they carry.
      expect([as, previewed ? Object.keys(previewed).sort() : undefined]).toEqual([as, real ? Object.keys(real).sort() : undefined]);
      if (real && previewed) expect({ ...previewed, rank: real.rank, value: real.value }).toEqual(real);
    }
  });

  it('the owner sees everything, with all 13 settings', async () => {
    const profile = await stack.http.get(`/api/v1/users/${cast.athlete}`, asViewer(tokens.athlete as string));
    expect(profile.body).toMatchObject({ ...PROFILE, privacy: settings });
    const activity = await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, asViewer(tokens.athlete as string));
    expect(activity.body).toMatchObject(ACTIVITY);
  });

  it('the preview shows each audience exactly what the real endpoints return to it', async () => {
    const audiences: [string, string][] = [
      ['coach', tokens.headCoach as string],
      ['group', tokens.fellow as string],
      ['public', tokens.stranger as string],
    ];
    for (const [as, token] of audiences) {
      const profilePreview = await stack.http.get<{ view: unknown }>(
        `/api/v1/users/${cast.athlete}/privacy/preview?as=${as}&context=profile`,
        asViewer(tokens.athlete as string),
      );
      expect(profilePreview.status).toBe(200);
      expect([as, profilePreview.body?.view]).toEqual([as, (await stack.http.get(`/api/v1/users/${cast.athlete}`, asViewer(token))).body]);
      const activityPreview = await stack.http.get<{ view: unknown }>(
        `/api/v1/users/${cast.athlete}/privacy/preview?as=${as}&context=activity`,
        asViewer(tokens.athlete as string),
      );
      expect([as, activityPreview.body?.view]).toEqual([
        as,
        (await stack.http.get(`/api/v1/users/${cast.athlete}/activities`, asViewer(token))).body,
      ]);
    }
  });
});

describe('credentials on athlete endpoints', () => {
  it('no credentials is 401 on every athlete endpoint (anonymous sees no athlete data)', async () => {
    for (const path of [
      `/api/v1/users/${cast.athlete}`,
      `/api/v1/users/${cast.athlete}/activities`,
      `/api/v1/users/${cast.athlete}/activities/${activityId}`,
      `/api/v1/users/${cast.athlete}/privacy/preview?as=public`,
    ]) {
      const response = await stack.http.get(path);
      expect([path, response.status]).toEqual([path, 401]);
      assertNoLeak(response.text, []);
    }
  });

  it('an app key may read (as the public) but never write athlete data', async () => {
    const key = { headers: { 'X-API-Key': cast.appKey } };
    expect((await stack.http.put(`/api/v1/users/${cast.athlete}`, { bio: 'x' }, key)).status).toBe(403);
    expect((await stack.http.post(`/api/v1/users/${cast.athlete}/activities`, ACTIVITY, key)).status).toBe(403);
    expect((await stack.http.delete(`/api/v1/users/${cast.athlete}/activities/${activityId}`, key)).status).toBe(403);
  });

  it('only the owner may change a profile, record or delete activities, or preview', async () => {
    const other = asViewer(tokens.headCoach as string);
    expect((await stack.http.put(`/api/v1/users/${cast.athlete}`, { bio: 'x' }, other)).status).toBe(403);
    expect((await stack.http.post(`/api/v1/users/${cast.athlete}/activities`, ACTIVITY, other)).status).toBe(403);
    expect((await stack.http.delete(`/api/v1/users/${cast.athlete}/activities/${activityId}`, other)).status).toBe(403);
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}/privacy/preview?as=public`, other)).status).toBe(403);
  });
});

describe('a field the engine does not know', () => {
  // The owner sees every documented field of their own data; one stored without being documented
  // (no contract names it) reaches no one, so no response carries a field the OpenAPI document lacks.
  it('is hidden from everyone, the owner included, while the owner still sees every documented field', async () => {
    await setPrivacy({ ...DEFAULTS, share_activity_with_public: true });
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `USER#${cast.athlete}`, sk: `ACT#${activityId}` },
        UpdateExpression: 'SET new_sensor_reading = :v',
        ExpressionAttributeValues: { ':v': 'MARKnewfield' },
      }),
    );
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `USER#${cast.athlete}`, sk: 'PROFILE' },
        UpdateExpression: 'SET home_address = :v',
        ExpressionAttributeValues: { ':v': 'MARKaddress' },
      }),
    );
    for (const viewer of viewers) {
      const texts = [
        (await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, { headers: viewer.headers })).text,
        (await stack.http.get(`/api/v1/users/${cast.athlete}/activities`, { headers: viewer.headers })).text,
        (await stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: viewer.headers })).text,
      ].join('');
      expect(texts).not.toContain('MARKnewfield');
      expect(texts).not.toContain('MARKaddress');
    }
    const owner = asViewer(tokens.athlete as string);
    const ownActivity = await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, owner);
    expect(ownActivity.text).not.toContain('MARKnewfield');
    expect(ownActivity.body).toMatchObject({ activity_id: activityId, map: expect.any(Object), avg_heart_rate: expect.any(Number) });
    const ownProfile = await stack.http.get(`/api/v1/users/${cast.athlete}`, owner);
    expect(ownProfile.text).not.toContain('MARKaddress');
    expect(ownProfile.body).toMatchObject({ bio: expect.any(String), privacy: expect.any(Object), created_at: expect.any(String) });
  });
});

describe('relationship facts are read consistently', () => {
  it('a membership that ends applies on the next request: the former fellow member becomes public', async () => {
    await setPrivacy(DEFAULTS);
    const fellow = asViewer(tokens.fellow as string);
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, fellow)).status).toBe(200);
    // The head coach sets the fellow inactive through the API (member and profile tie change together).
    const update = await stack.http.put(
      `/api/v1/organizations/${cast.orgId}/members/${cast.fellow}`,
      { status: 'inactive' },
      asViewer(tokens.headCoach as string),
    );
    expect(update.status).toBe(200);
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, fellow)).status).toBe(404);
    // And back: active again applies on the next request too.
    expect(
      (
        await stack.http.put(
          `/api/v1/organizations/${cast.orgId}/members/${cast.fellow}`,
          { status: 'active' },
          asViewer(tokens.headCoach as string),
        )
      ).status,
    ).toBe(200);
    expect((await stack.http.get(`/api/v1/users/${cast.athlete}/activities/${activityId}`, fellow)).status).toBe(200);
  });
});

/**
 * privacy.md §8 with every viewer and every endpoint: an athlete added to the organization who has
 * not answered is seen by all of its coaches and members exactly as the public sees them — in the
 * defaults and with public sharing on — and is in no feed or leaderboard of it. Every hideable field
 * carries a sentinel that may appear only where the public may see its field.
 */
describe('a pending athlete (added, never accepted): every viewer gets the public view, on every endpoint', () => {
  let pending: string;
  let pendingActivity: string;

  beforeAll(async () => {
    pending = await createUser(stack, cast.appKey, 'Pending Pat');
    const auth = asViewer(await stack.token(pending));
    expect((await stack.http.put(`/api/v1/users/${pending}`, PROFILE, auth)).status).toBe(200);
    const created = await stack.http.post<{ activity: { activity_id: string } }>(`/api/v1/users/${pending}/activities`, ACTIVITY, auth);
    pendingActivity = created.body?.activity.activity_id ?? '';
    const added = await stack.http.post(
      `/api/v1/organizations/${cast.orgId}/members`,
      { user_id: pending },
      asViewer(tokens.headCoach as string),
    );
    expect([added.status, (added.body as { member: { consent: string } }).member.consent]).toEqual([201, 'pending']);
    // Assigned to the assistant, as a coach would do at once: still nothing before the athlete's answer.
    expect(
      (
        await stack.http.put(
          `/api/v1/organizations/${cast.orgId}/members/${pending}`,
          { assigned_coach_id: cast.assignedCoach },
          asViewer(tokens.headCoach as string),
        )
      ).status,
    ).toBe(200);
    await stack.drainStreams();
  });

  describe.each<[string, Settings]>([
    ['defaults', DEFAULTS],
    ['public on', { ...DEFAULTS, share_activity_with_public: true }],
  ])('settings: %s', (_name, settings) => {
    beforeAll(async () => {
      const response = await stack.http.put(`/api/v1/users/${pending}`, { privacy: settings }, asViewer(await stack.token(pending)));
      expect(response.status).toBe(200);
    });

    it('profile, activity item and list: exactly the public view for every viewer', async () => {
      for (const viewer of viewers) {
        const expected = expectedActivityKeys(settings, 'public');
        const profile = await stack.http.get(`/api/v1/users/${pending}`, { headers: viewer.headers });
        expect([viewer.name, Object.keys(profile.body ?? {}).sort()]).toEqual([viewer.name, expectedProfileKeys(settings, 'public')]);
        const single = await stack.http.get(`/api/v1/users/${pending}/activities/${pendingActivity}`, { headers: viewer.headers });
        const list = await stack.http.get<{ count: number; activities: Record<string, unknown>[] }>(`/api/v1/users/${pending}/activities`, {
          headers: viewer.headers,
        });
        if (expected === undefined) expect([viewer.name, single.status, list.body?.count]).toEqual([viewer.name, 404, 0]);
        else
          expect([viewer.name, Object.keys(single.body ?? {}).sort(), Object.keys(list.body?.activities[0] ?? {}).sort()]).toEqual([
            viewer.name,
            expected,
            expectedSummaryKeys(settings, 'public'),
          ]);
        assertNoLeak(profile.text + single.text + list.text, [...expectedProfileKeys(settings, 'public'), ...(expected ?? [])]);
      }
    });

    it('coach view and roster: the membership is listed, the athlete shown as to the public, no profile_status', async () => {
      for (const viewer of viewers) {
        const view = await stack.http.get<{
          member: Record<string, unknown>;
          athlete: Record<string, unknown>;
          activities: Record<string, unknown>[];
        }>(`/api/v1/organizations/${cast.orgId}/members/${pending}`, { headers: viewer.headers });
        const roster = await stack.http.get<{ members: Record<string, unknown>[] }>(
          `/api/v1/organizations/${cast.orgId}/members?include_profile_status=true`,
          { headers: viewer.headers },
        );
        if (view.status === 403) {
          expect([viewer.name, roster.status]).toEqual([viewer.name, 403]);
          assertNoLeak(view.text + roster.text, []);
          continue;
        }
        expect([viewer.name, view.status, view.body?.member.consent, Object.keys(view.body?.athlete ?? {}).sort()]).toEqual([
          viewer.name,
          200,
          'pending',
          expectedProfileKeys(settings, 'public'),
        ]);
        const expected = expectedSummaryKeys(settings, 'public');
        expect([viewer.name, view.body?.activities.map((a) => Object.keys(a).sort())]).toEqual([viewer.name, expected ? [expected] : []]);
        const entry = roster.body?.members.find((m) => m.user_id === pending);
        expect([viewer.name, entry?.consent, entry && 'profile_status' in entry]).toEqual([viewer.name, 'pending', false]);
        assertNoLeak(view.text, [...expectedProfileKeys(settings, 'public'), ...(expected ?? [])]);
        const others = roster.body?.members.filter((m) => m.user_id !== pending) ?? [];
        expect(JSON.stringify(roster.body?.members.find((m) => m.user_id === pending))).not.toMatch(/MARK/);
        expect(others.length).toBeGreaterThan(0);
      }
    });

    it('feed and leaderboard: the pending athlete is in neither, for any viewer', async () => {
      for (const viewer of viewers) {
        const feed = await stack.http.get<{ activities: Record<string, unknown>[] }>(`/api/v1/organizations/${cast.orgId}/feed`, {
          headers: viewer.headers,
        });
        const board = await stack.http.get<{ entries: Record<string, unknown>[] }>(
          `/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=all`,
          { headers: viewer.headers },
        );
        expect([
          viewer.name,
          feed.body?.activities?.some((a) => a.user_id === pending) ?? false,
          board.body?.entries?.some((e) => e.user_id === pending) ?? false,
        ]).toEqual([viewer.name, false, false]);
        expect(feed.text + board.text).not.toContain(pendingActivity);
        expect(feed.text + board.text).not.toContain(pending);
      }
    });
  });
});
