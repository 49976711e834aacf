/** fast-check generators shared by the policy property tests. Field lists are copied from the spec, not the engine. */
import fc from 'fast-check';
import type { PolicyContext, PrivacySettings, Relationship } from '@astral/lib/policy';

export const SETTING_KEYS = [
  'share_activity_in_profile',
  'share_activity_with_group',
  'share_activity_with_coach',
  'share_activity_with_public',
  'share_pace_data',
  'share_activity_map',
  'share_race_history',
  'share_pb',
  'share_race_goal',
  'share_profile_info',
  'share_training_data',
  'share_with_coach',
  'paticipate_leaderboard',
] as const;

/** privacy.md §4, by object. */
export const SPEC = {
  activityBase: ['activity_id', 'user_id', 'type', 'name', 'start_time', 'distance_m', 'moving_time_s', 'elapsed_time_s'],
  pace: ['avg_pace_s_per_km', 'splits'],
  map: ['map'],
  training: ['avg_heart_rate', 'max_heart_rate', 'elevation_gain_m', 'avg_cadence', 'avg_power_w', 'training_zones'],
  profileInfo: ['profile_image_url', 'bio', 'gender'],
  profileOnly: ['race_history', 'personal_bests', 'race_goal'],
  mapInner: ['polyline', 'start_latlng', 'end_latlng'],
  zonesInner: ['pace_zones', 'hr_zones'],
  identity: ['user_id', 'display_name'],
  leaderboardEntry: ['rank', 'user_id', 'display_name', 'value', 'profile_image_url'],
  rosterMember: [
    'user_id',
    'display_name',
    'member_level',
    'labels',
    'status',
    'consent',
    'assigned_coach_id',
    'joined_at',
    'profile_status',
  ],
  profileStatus: [
    'has_strava',
    'has_garmin',
    'has_pace_zones',
    'has_hr_zones',
    'has_next_race',
    'has_training_plan',
    'has_mbti',
    'profile_image_url',
    'gender',
  ],
} as const;

export const ACTIVITY_FIELDS: readonly string[] = [...SPEC.activityBase, ...SPEC.pace, ...SPEC.map, ...SPEC.training];
export const PROFILE_FIELDS: readonly string[] = [...SPEC.identity, ...SPEC.profileInfo, ...SPEC.profileOnly, 'training_zones'];

export const RELATIONSHIPS: readonly Relationship[] = ['self', 'coach', 'group', 'public', 'anonymous'];
export const NON_OWNERS: readonly Relationship[] = ['coach', 'group', 'public', 'anonymous'];
export const CONTEXTS: readonly PolicyContext[] = ['profile', 'activity', 'feed', 'coach_view', 'roster', 'leaderboard'];
export const NON_BOARD_CONTEXTS: readonly PolicyContext[] = ['profile', 'activity', 'feed', 'coach_view', 'roster'];

export const settingsArb: fc.Arbitrary<PrivacySettings> = fc.record(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, fc.boolean()])) as Record<(typeof SETTING_KEYS)[number], fc.Arbitrary<boolean>>,
);
export const relationshipArb = fc.constantFrom(...RELATIONSHIPS);
export const nonOwnerArb = fc.constantFrom(...NON_OWNERS);
export const contextArb = fc.constantFrom(...CONTEXTS);
export const nonBoardContextArb = fc.constantFrom(...NON_BOARD_CONTEXTS);

const KNOWN = new Set<string>([
  ...ACTIVITY_FIELDS,
  ...PROFILE_FIELDS,
  ...SPEC.mapInner,
  ...SPEC.zonesInner,
  ...SPEC.rosterMember,
  ...SPEC.profileStatus,
  'rank',
  'value',
]);
/** Keys the engine must never let through: internal attributes, other profile fields, prototype names, noise. */
const extraKey = fc.oneof(
  fc.constantFrom(
    'privacy',
    'created_at',
    'updated_at',
    'pk',
    'sk',
    'email',
    'connections',
    'training_plan',
    'mbti',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'secret',
  ),
  fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !KNOWN.has(k)),
);
const extras = fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const value = fc.jsonValue({ maxDepth: 2 });

const withExtras = (known: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(known, extras).map(([k, e]) => {
    const out: Record<string, unknown> = {};
    // defineProperty so a generated `__proto__` key becomes a real own field, as JSON.parse makes it.
    for (const [key, v] of [...Object.entries(e), ...Object.entries(k)])
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

const nestedArb = (inner: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(withExtras(fc.record(Object.fromEntries(inner.map((k) => [k, value])), { requiredKeys: [] })), value);

export const activityArb: fc.Arbitrary<Record<string, unknown>> = withExtras(
  fc.record(
    {
      ...Object.fromEntries([...SPEC.activityBase, ...SPEC.pace, ...SPEC.training].map((k) => [k, value])),
      map: nestedArb(SPEC.mapInner),
      training_zones: nestedArb(SPEC.zonesInner),
    },
    { requiredKeys: [] },
  ),
);

export type GeneratedProfile = Record<string, unknown> & { user_id: string; display_name: string };

export const profileArb: fc.Arbitrary<GeneratedProfile> = withExtras(
  fc.record(
    {
      ...Object.fromEntries([...SPEC.profileInfo, ...SPEC.profileOnly].map((k) => [k, value])),
      training_zones: nestedArb(SPEC.zonesInner),
      privacy: fc.dictionary(fc.constantFrom(...SETTING_KEYS), fc.boolean()),
    },
    { requiredKeys: [] },
  ),
).chain((rest) =>
  fc
    .record({ user_id: fc.constant('usr_athlete'), display_name: fc.string({ maxLength: 12 }) })
    .map((id): GeneratedProfile => ({ ...rest, ...id })),
);

/** Own keys of a shaped object, prototype names included. */
export const keysOf = (o: object): string[] => Object.getOwnPropertyNames(o);

export const subset = (keys: readonly string[], allowed: readonly string[]): string[] => keys.filter((k) => !allowed.includes(k));
