/**
 * The field table of spec/privacy.md §4, as data. It is an allow-list: redaction copies only the
 * fields named here (and, for objects with a documented inner shape, only their named sub-fields), so a
 * field the engine does not know never reaches anyone but the owner.
 */
import { FIELD_GROUPS, type FieldGroup } from './rules';

export const FIELD_TABLE: Readonly<Record<FieldGroup, readonly string[]>> = {
  activity_base: ['activity_id', 'user_id', 'type', 'name', 'start_time', 'distance_m', 'moving_time_s', 'elapsed_time_s'],
  pace: ['avg_pace_s_per_km', 'splits'],
  map: ['map'],
  training: ['avg_heart_rate', 'max_heart_rate', 'elevation_gain_m', 'avg_cadence', 'avg_power_w', 'training_zones'],
  profile_info: ['profile_image_url', 'bio', 'gender'],
  race_history: ['race_history'],
  personal_bests: ['personal_bests'],
  race_goal: ['race_goal'],
};

/** Sub-fields of the fields whose inner shape the documents fix; other sub-fields are dropped. */
export const NESTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  map: ['polyline', 'start_latlng', 'end_latlng'],
  training_zones: ['pace_zones', 'hr_zones'],
};

/** The groups an activity object carries, and those a profile carries. */
const ACTIVITY_GROUPS: readonly FieldGroup[] = ['activity_base', 'pace', 'map', 'training'];
const PROFILE_GROUPS: readonly FieldGroup[] = ['profile_info', 'race_history', 'personal_bests', 'race_goal', 'training'];

/** Fields a profile carries from the groups above: its activity-level training metrics do not apply. */
const PROFILE_ONLY: ReadonlySet<string> = new Set([
  'profile_image_url',
  'bio',
  'gender',
  'race_history',
  'personal_bests',
  'race_goal',
  'training_zones',
]);

/**
 * What the owner reads back of their own data: every documented field (the API's contract), and
 * nothing else an item may hold. A field stored without being documented (a backfill, a field not
 * yet released) reaches no one, the owner included, until the contract names it.
 */
export const OWNER_ACTIVITY_FIELDS = [
  ...FIELD_TABLE.activity_base,
  ...FIELD_TABLE.pace,
  ...FIELD_TABLE.map,
  ...FIELD_TABLE.training.filter((field) => !PROFILE_ONLY.has(field)),
  'created_at',
] as const;
export const OWNER_PROFILE_FIELDS = [
  'user_id',
  'display_name',
  ...[...PROFILE_ONLY],
  'connections',
  'training_plan',
  'mbti',
  // Owner-only: in no field group, so no decision ever copies it to anyone else (privacy.md §9).
  'privacy_zones',
  'created_at',
  'updated_at',
] as const;

/** Membership data in a roster: the organization's own, shown to whoever may list members. */
export const ROSTER_MEMBER_FIELDS = [
  'user_id',
  'display_name',
  'member_level',
  'labels',
  'status',
  'consent',
  'assigned_coach_id',
  'joined_at',
] as const;
export const PROFILE_STATUS_FLAGS = [
  'has_strava',
  'has_garmin',
  'has_pace_zones',
  'has_hr_zones',
  'has_next_race',
  'has_training_plan',
  'has_mbti',
] as const;
/** The roster's profile_status carries these two when the lister may see profile info (§5). */
export const ROSTER_PROFILE_FIELDS = ['profile_image_url', 'gender'] as const;

export type FieldKind = 'activity' | 'profile';

/** Visible fields split by how they are copied, so the copy loop does no per-field look-ups. */
export interface FieldPlan {
  readonly plain: readonly string[];
  readonly nested: readonly (readonly [field: string, inner: readonly string[]])[];
}

function planFor(kind: FieldKind, groupMask: number): FieldPlan {
  const groups = kind === 'activity' ? ACTIVITY_GROUPS : PROFILE_GROUPS;
  const plain: string[] = [];
  const nested: (readonly [string, readonly string[]])[] = [];
  for (const group of groups) {
    if ((groupMask & (1 << FIELD_GROUPS.indexOf(group))) === 0) continue;
    for (const field of FIELD_TABLE[group]) {
      if (kind === 'profile' && !PROFILE_ONLY.has(field)) continue;
      const inner = NESTED_FIELDS[field];
      if (inner === undefined) plain.push(field);
      else nested.push([field, inner]);
    }
  }
  return Object.freeze({ plain: Object.freeze(plain), nested: Object.freeze(nested) });
}

const cache: Record<FieldKind, (FieldPlan | undefined)[]> = { activity: [], profile: [] };

/** Visible fields of an object kind for a group mask (2^FIELD_GROUPS.length masks per kind), each planned once. */
export function fieldPlan(kind: FieldKind, groupMask: number): FieldPlan {
  const row = cache[kind];
  let plan = row[groupMask];
  if (plan === undefined) {
    plan = planFor(kind, groupMask);
    row[groupMask] = plan;
  }
  return plan;
}
