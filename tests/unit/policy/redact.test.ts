import {
  DEFAULT_PRIVACY,
  decisionFor,
  isOnLeaderboard,
  shapeActivities,
  shapeActivity,
  shapeLeaderboardEntry,
  shapeProfile,
  shapeRosterProfile,
  type PrivacySettings,
  type Relationship,
  type PolicyContext,
} from '@astral/lib/policy';

const ACTIVITY = {
  activity_id: 'act_1',
  user_id: 'usr_a',
  type: 'run',
  name: 'Tempo',
  start_time: '2025-04-23T06:00:00Z',
  distance_m: 10000,
  moving_time_s: 2700,
  elapsed_time_s: 2800,
  avg_pace_s_per_km: 270,
  splits: [{ km: 1, time_s: 268 }],
  map: { polyline: 'abc', start_latlng: [45.1, 6.1], end_latlng: [45.2, 6.2], home_address: 'secret' },
  avg_heart_rate: 160,
  max_heart_rate: 182,
  elevation_gain_m: 120,
  avg_cadence: 178,
  avg_power_w: 290,
  created_at: '2025-04-23T07:00:00Z',
  device_serial: 'X1',
};
/** What the owner reads back: everything documented (the stray `device_serial` is not). */
const { device_serial: _undocumented, ...OWN } = ACTIVITY;
const BASE = {
  activity_id: 'act_1',
  user_id: 'usr_a',
  type: 'run',
  name: 'Tempo',
  start_time: '2025-04-23T06:00:00Z',
  distance_m: 10000,
  moving_time_s: 2700,
  elapsed_time_s: 2800,
};
const PACE = { avg_pace_s_per_km: 270, splits: [{ km: 1, time_s: 268 }] };
const MAP = { map: { polyline: 'abc', start_latlng: [45.1, 6.1], end_latlng: [45.2, 6.2] } };
const TRAINING = { avg_heart_rate: 160, max_heart_rate: 182, elevation_gain_m: 120, avg_cadence: 178, avg_power_w: 290 };

const USER = {
  user_id: 'usr_a',
  display_name: 'Alex',
  profile_image_url: 'https://cdn/a.jpg',
  bio: 'runs',
  gender: 'female',
  race_history: [{ race: 'Paris', time_s: 11000 }],
  personal_bests: { '10k': 2600 },
  race_goal: { race: 'Berlin', date: '2025-09-21' },
  training_zones: { pace_zones: [1, 2], hr_zones: [3, 4], lactate: 4.1 },
  connections: { strava: true, garmin: false },
  mbti: 'INTJ',
  training_plan: 'base',
  created_at: '2025-01-01T00:00:00Z',
  privacy: { share_pb: false },
};

const d = (rel: Relationship, ctx: PolicyContext, over: Partial<PrivacySettings> = {}) =>
  decisionFor({ ...DEFAULT_PRIVACY, ...over }, rel, ctx);

describe('shapeActivity', () => {
  test.each<[string, Relationship, Partial<PrivacySettings>, object | undefined]>([
    ['group member, defaults: the §4 fields, nothing else', 'group', {}, { ...BASE, ...PACE, ...MAP, ...TRAINING }],
    ['pace off: pace fields absent, not null', 'group', { share_pace_data: false }, { ...BASE, ...MAP, ...TRAINING }],
    ['map off', 'group', { share_activity_map: false }, { ...BASE, ...PACE, ...TRAINING }],
    ['training off', 'group', { share_training_data: false }, { ...BASE, ...PACE, ...MAP }],
    [
      'coach override restores everything',
      'coach',
      { share_pace_data: false, share_activity_map: false, share_training_data: false },
      { ...BASE, ...PACE, ...MAP, ...TRAINING },
    ],
    ['public by default: hidden entirely (a fetch is a 404)', 'public', {}, undefined],
    ['master off: hidden from the coach', 'coach', { share_activity_in_profile: false }, undefined],
    ['owner: every documented field, whatever the settings, and no unknown one', 'self', { share_activity_in_profile: false }, OWN],
  ])('%s', (_label, rel, over, expected) => {
    expect(shapeActivity(ACTIVITY, d(rel, 'activity', over), [])).toEqual(expected);
  });

  test('a map that is not an object is dropped for non-owners', () => {
    expect(shapeActivity({ ...BASE, map: 'raw-gpx' }, d('group', 'activity'), [])).toEqual(BASE);
  });

  test('a leaderboard decision never shapes an activity', () => {
    expect(shapeActivity(ACTIVITY, d('self', 'leaderboard'), [])).toBeUndefined();
    expect(shapeActivities([ACTIVITY], d('group', 'leaderboard'), [])).toEqual([]);
  });

  test('a page keeps order and shapes every item alike', () => {
    const page = [ACTIVITY, { ...ACTIVITY, activity_id: 'act_2' }];
    expect(
      shapeActivities(page, d('group', 'feed', { share_activity_map: false }), []).map((a) => [
        a.activity_id,
        'map' in a,
        'created_at' in a,
      ]),
    ).toEqual([
      ['act_1', false, false],
      ['act_2', false, false],
    ]);
    expect(shapeActivities(page, d('public', 'feed'), [])).toEqual([]);
    expect(shapeActivities(page, d('self', 'feed'), [])).toEqual([OWN, { ...OWN, activity_id: 'act_2' }]);
  });
});

describe('shapeProfile', () => {
  const identity = { user_id: 'usr_a', display_name: 'Alex' };
  const profileInfo = { profile_image_url: 'https://cdn/a.jpg', bio: 'runs', gender: 'female' };
  const details = {
    race_history: USER.race_history,
    personal_bests: USER.personal_bests,
    race_goal: USER.race_goal,
    training_zones: { pace_zones: [1, 2], hr_zones: [3, 4] },
  };

  test.each<[string, Relationship, Partial<PrivacySettings>, object | undefined]>([
    [
      'group member: identity, §4 profile fields; no connections, mbti, plan, timestamps or settings',
      'group',
      {},
      { ...identity, ...profileInfo, ...details },
    ],
    ['profile info off', 'group', { share_profile_info: false }, { ...identity, ...details }],
    [
      'race fields off',
      'group',
      { share_race_history: false, share_pb: false, share_race_goal: false },
      { ...identity, ...profileInfo, training_zones: details.training_zones },
    ],
    [
      'training off hides the zones',
      'group',
      { share_training_data: false },
      {
        ...identity,
        ...profileInfo,
        race_history: details.race_history,
        personal_bests: details.personal_bests,
        race_goal: details.race_goal,
      },
    ],
    ['public by default: identity card only', 'public', {}, identity],
    ['master off: identity card only, even for the coach', 'coach', { share_activity_in_profile: false }, identity],
    ['anonymous: nothing at all', 'anonymous', { share_activity_with_public: true }, undefined],
  ])('%s', (_label, rel, over, expected) => {
    expect(shapeProfile(USER, d(rel, 'profile', over))).toEqual(expected);
  });

  test('owner: everything plus all 13 settings, stored ones applied', () => {
    expect(shapeProfile(USER, d('self', 'profile'))).toEqual({ ...USER, privacy: { ...DEFAULT_PRIVACY, share_pb: false } });
  });

  test('owner who never saved settings sees the defaults', () => {
    const { privacy: _stored, ...neverSaved } = USER;
    expect(shapeProfile(neverSaved, d('self', 'profile'))?.privacy).toEqual(DEFAULT_PRIVACY);
  });
});

describe('leaderboard entries (§5)', () => {
  const candidate = { rank: 3, user_id: 'usr_a', display_name: 'Alex', value: 42000, profile_image_url: 'https://cdn/a.jpg' };

  test.each<[string, Relationship, Partial<PrivacySettings>, 'distance' | 'pace', object | undefined]>([
    ['listed with photo', 'group', {}, 'distance', candidate],
    [
      'photo only with share_profile_info',
      'group',
      { share_profile_info: false },
      'distance',
      { rank: 3, user_id: 'usr_a', display_name: 'Alex', value: 42000 },
    ],
    [
      'no override for the coach',
      'coach',
      { share_profile_info: false },
      'distance',
      { rank: 3, user_id: 'usr_a', display_name: 'Alex', value: 42000 },
    ],
    ['pace board with share_pace_data', 'group', {}, 'pace', candidate],
    ['left out of a pace board without share_pace_data', 'group', { share_pace_data: false }, 'pace', undefined],
    ['left out of a pace board even for the coach', 'coach', { share_pace_data: false }, 'pace', undefined],
    ['non-participant hidden from themselves', 'self', { paticipate_leaderboard: false }, 'distance', undefined],
    ['no audience, no entry', 'public', {}, 'distance', undefined],
    ['public participant once public sharing is on', 'public', { share_activity_with_public: true }, 'distance', candidate],
  ])('%s', (_label, rel, over, metric, expected) => {
    const decision = d(rel, 'leaderboard', over);
    expect(shapeLeaderboardEntry(candidate, decision, metric)).toEqual(expected);
    expect(isOnLeaderboard(decision, metric)).toBe(expected !== undefined);
  });

  test('a non-leaderboard decision never makes an entry', () => {
    expect(shapeLeaderboardEntry(candidate, d('self', 'activity'), 'distance')).toBeUndefined();
  });
});

describe('roster rows (§5)', () => {
  const member = {
    user_id: 'usr_a',
    display_name: 'Alex',
    member_level: 'intermediate',
    labels: ['5k-focus'],
    status: 'active',
    consent: 'accepted' as const,
    assigned_coach_id: 'usr_c',
    joined_at: '2025-04-23T11:00:00Z',
  };
  const flags = {
    has_strava: true,
    has_garmin: false,
    has_pace_zones: true,
    has_hr_zones: false,
    has_next_race: true,
    has_training_plan: true,
    has_mbti: false,
  };
  const athlete = { profile_image_url: 'https://cdn.astral.run/images/alex.jpg', gender: 'male' };

  test.each<[string, Relationship, Partial<PrivacySettings>, boolean]>([
    ['coach lister, defaults: image and gender', 'coach', {}, true],
    ['coach override for profile info', 'coach', { share_profile_info: false }, true],
    ['unassigned co-coach (group) without profile info', 'group', { share_profile_info: false }, false],
    ['admin lister (public) by default', 'public', {}, false],
    ['master off', 'coach', { share_activity_in_profile: false }, false],
  ])('%s', (_label, rel, over, showsProfile) => {
    expect(shapeRosterProfile({ ...member, internal_note: 'x' } as typeof member, flags, athlete, d(rel, 'roster', over))).toEqual({
      ...member,
      profile_status: { ...flags, ...(showsProfile ? athlete : {}) },
    });
  });

  test.each(['pending', 'declined'] as const)('a %s member has no profile_status for anyone, the head coach included (§8)', (consent) => {
    for (const rel of ['coach', 'group', 'public'] as const) {
      expect(shapeRosterProfile({ ...member, consent }, flags, athlete, d(rel, 'roster', {}))).toEqual({ ...member, consent });
    }
  });
});
