/**
 * Vocabulary of the engine: field groups (spec/privacy.md §4), contexts (§5) and the stable rule ids
 * that reasons name. Ids are part of the API (tests, the owner preview, docs/privacy.md): never rename.
 */

export const FIELD_GROUPS = [
  'activity_base',
  'pace',
  'map',
  'training',
  'profile_info',
  'race_history',
  'personal_bests',
  'race_goal',
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];
export type DetailGroup = Exclude<FieldGroup, 'activity_base'>;

export const CONTEXTS = ['profile', 'activity', 'feed', 'coach_view', 'roster', 'leaderboard'] as const;
export type PolicyContext = (typeof CONTEXTS)[number];

/** The data-detail toggle behind each detail group. */
export const DETAIL_SETTING = {
  pace: 'share_pace_data',
  map: 'share_activity_map',
  training: 'share_training_data',
  profile_info: 'share_profile_info',
  race_history: 'share_race_history',
  personal_bests: 'share_pb',
  race_goal: 'share_race_goal',
} as const satisfies Record<DetailGroup, string>;
export type DetailSetting = (typeof DETAIL_SETTING)[DetailGroup];

export type RuleId =
  | 'self-owner'
  | 'anonymous-no-credentials'
  | 'master-off'
  | 'audience-coach-opened'
  | 'audience-group-opened'
  | 'audience-public-opened'
  | 'public-floor'
  | 'audience-coach-closed'
  | 'audience-group-closed'
  | 'audience-public-closed'
  | 'identity-card'
  | 'base-with-audience'
  | `detail-toggle-on:${DetailSetting}`
  | `detail-toggle-off:${DetailSetting}`
  | 'coach-override'
  | 'coach-override-off'
  | 'public-floor-no-override'
  | 'leaderboard-not-participating'
  | 'leaderboard-listed'
  | 'leaderboard-excluded'
  | 'leaderboard-no-override'
  | 'privacy-owner-only'
  | 'default-deny';

/** One line per rule; docs/privacy.md repeats them for athletes and integrators. */
export const RULES: Readonly<Record<RuleId, string>> = {
  'self-owner': 'the owner sees all of their own data, and their privacy settings',
  'anonymous-no-credentials': 'a caller without credentials sees no athlete data at all',
  'master-off': 'share_activity_in_profile is off: nobody but the owner sees beyond the identity card',
  'audience-coach-opened': 'the coach is in the audience: share_activity_with_coach is on',
  'audience-group-opened': 'a group member is in the audience: share_activity_with_group is on',
  'audience-public-opened': 'any signed-in caller is in the audience: share_activity_with_public is on',
  'public-floor': 'a coach or group member sees at least what the public sees: share_activity_with_public is on',
  'audience-coach-closed': 'share_activity_with_coach and share_activity_with_public are off: the coach sees only the identity card',
  'audience-group-closed': 'share_activity_with_group and share_activity_with_public are off: group members see only the identity card',
  'audience-public-closed': 'share_activity_with_public is off: other signed-in callers see only the identity card',
  'identity-card': 'user_id and display_name are shown to every signed-in caller',
  'base-with-audience': 'the activity base fields are shown to whoever is in the audience',
  'detail-toggle-on:share_pace_data': 'share_pace_data is on: pace fields are shown',
  'detail-toggle-on:share_activity_map': 'share_activity_map is on: the map is shown',
  'detail-toggle-on:share_training_data': 'share_training_data is on: training metrics are shown',
  'detail-toggle-on:share_profile_info': 'share_profile_info is on: photo, bio and gender are shown',
  'detail-toggle-on:share_race_history': 'share_race_history is on: race history is shown',
  'detail-toggle-on:share_pb': 'share_pb is on: personal bests are shown',
  'detail-toggle-on:share_race_goal': 'share_race_goal is on: the race goal is shown',
  'detail-toggle-off:share_pace_data': 'share_pace_data is off: pace fields are hidden',
  'detail-toggle-off:share_activity_map': 'share_activity_map is off: the map is hidden',
  'detail-toggle-off:share_training_data': 'share_training_data is off: training metrics are hidden',
  'detail-toggle-off:share_profile_info': 'share_profile_info is off: photo, bio and gender are hidden',
  'detail-toggle-off:share_race_history': 'share_race_history is off: race history is hidden',
  'detail-toggle-off:share_pb': 'share_pb is off: personal bests are hidden',
  'detail-toggle-off:share_race_goal': 'share_race_goal is off: the race goal is hidden',
  'coach-override': 'the coach, reached through share_activity_with_coach, sees this despite its toggle because share_with_coach is on',
  'coach-override-off': 'the toggle is off and share_with_coach is off, so the coach gets no override',
  'public-floor-no-override': 'the coach is in the audience only through the public floor, which never carries the coach override',
  'leaderboard-not-participating': 'paticipate_leaderboard is off: the athlete appears on no leaderboard, not even to themselves',
  'leaderboard-listed': 'the athlete participates and the viewer is in the audience: rank, user_id, display_name and value are shown',
  'leaderboard-excluded': 'leaderboards never carry this (map, training data, profile details, settings)',
  'leaderboard-no-override': 'the toggle is off and the coach override never applies on leaderboards',
  'privacy-owner-only': 'privacy settings are shown to the owner only',
  'default-deny': 'nothing matched (unknown relationship or context): hidden',
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export type Effect = 'allow' | 'deny';
/** What a reason is about: the audience, the identity card, leaderboard listing, a field group, or `privacy`. */
export type ReasonTarget = 'audience' | 'identity_card' | 'leaderboard' | FieldGroup | 'privacy';

export interface Reason {
  readonly target: ReasonTarget;
  readonly effect: Effect;
  readonly rule: RuleId;
}
