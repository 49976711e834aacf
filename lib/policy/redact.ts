/**
 * Shaping is a pure function of a decision: it copies only what the decision allows, from an
 * allow-list (fields.ts). A hidden field is absent from the output, never null. `undefined` means the
 * object must not be shown at all: leave it out of a list, answer 404 for a direct fetch.
 */
import { resolveSettings, type PrivacySettings } from './settings';
import type { Decision } from './engine';
import type { Consent } from './consent';
import { maskMap, type PrivacyZone } from './zones';
import {
  OWNER_ACTIVITY_FIELDS,
  OWNER_PROFILE_FIELDS,
  PROFILE_STATUS_FLAGS,
  ROSTER_MEMBER_FIELDS,
  ROSTER_PROFILE_FIELDS,
  fieldPlan,
  type FieldPlan,
} from './fields';

type Fields = Readonly<Record<string, unknown>>;
export type View = Record<string, unknown>;

/** Reads any record by field name; what is read is then filtered through the allow-list. */
export function fieldsOf(value: object): Fields {
  return value as Fields;
}

/** The owner's own view in a context that is not a leaderboard: everything. */
export function isOwnerView(decision: Decision): boolean {
  return decision.relationship === 'self' && decision.context !== 'leaderboard';
}

function copyAllowed(src: Fields, plan: FieldPlan, out: View): View {
  const { plain, nested } = plan;
  for (let i = 0; i < plain.length; i++) {
    const field = plain[i] as string;
    const value = src[field];
    if (value !== undefined) out[field] = value;
  }
  for (const [field, inner] of nested) {
    const value = src[field];
    // A documented shape that is not an object carries nothing we know how to expose.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const from = fieldsOf(value);
    const copy: View = {};
    for (const key of inner) if (from[key] !== undefined) copy[key] = from[key];
    out[field] = copy;
  }
  return out;
}

const OWNER_ACTIVITY_PLAN: FieldPlan = { plain: OWNER_ACTIVITY_FIELDS, nested: [] };
const OWNER_PROFILE_PLAN: FieldPlan = { plain: OWNER_PROFILE_FIELDS, nested: [] };

/**
 * Applies the athlete's privacy zones (zones.ts) to a non-owner's copy: a `map` left with nothing
 * outside the zones is dropped, as `activitySummary` never writes an empty one.
 */
function withinZones(view: View, zones: readonly PrivacyZone[]): View {
  const map = view.map;
  if (zones.length === 0 || typeof map !== 'object' || map === null) return view;
  const masked = maskMap(fieldsOf(map), zones);
  if (masked === undefined) delete view.map;
  else view.map = masked;
  return view;
}

/**
 * An activity for a viewer; `undefined` without audience (lists leave it out, a fetch is a 404).
 * `zones` are the athlete's privacy zones, from their current profile: they bind every viewer but the
 * owner, whatever the decision opened (the coach override included).
 */
export function shapeActivity(activity: object, decision: Decision, zones: readonly PrivacyZone[]): View | undefined {
  if (decision.context === 'leaderboard') return undefined;
  if (isOwnerView(decision)) return copyAllowed(fieldsOf(activity), OWNER_ACTIVITY_PLAN, {});
  if (!decision.audience) return undefined;
  return withinZones(copyAllowed(fieldsOf(activity), fieldPlan('activity', decision.group_mask), {}), zones);
}

/** Activities a viewer may see, in order; one decision (and one athlete's zones) covers a page of one athlete's activities. */
export function shapeActivities(activities: readonly object[], decision: Decision, zones: readonly PrivacyZone[]): View[] {
  if (decision.context === 'leaderboard') return [];
  if (isOwnerView(decision)) return activities.map((a) => copyAllowed(fieldsOf(a), OWNER_ACTIVITY_PLAN, {}));
  if (!decision.audience) return [];
  // Planned once for the page: the per-item cost is only the copy.
  const plan = fieldPlan('activity', decision.group_mask);
  const out: View[] = new Array<View>(activities.length);
  for (let i = 0; i < activities.length; i++) out[i] = withinZones(copyAllowed(fieldsOf(activities[i] as object), plan, {}), zones);
  return out;
}

export interface ProfileRecord {
  readonly user_id: string;
  readonly display_name: string;
  readonly privacy?: Readonly<Partial<Record<string, unknown>>> | null;
  /** Owner-only (in OWNER_PROFILE_FIELDS, in no field group): shaping of the athlete's maps reads them. */
  readonly privacy_zones?: readonly PrivacyZone[] | null | undefined;
}

export type ProfileView = View & { readonly user_id: string; readonly display_name: string; readonly privacy?: PrivacySettings };

/**
 * A user profile: the identity card always (signed-in callers), the §4 profile fields the decision
 * allows, and for the owner everything plus `privacy` with all 13 keys.
 */
export function shapeProfile(user: ProfileRecord, decision: Decision): ProfileView | undefined {
  if (decision.context === 'leaderboard' || !decision.identity_card) return undefined;
  if (isOwnerView(decision)) {
    return { ...copyAllowed(fieldsOf(user), OWNER_PROFILE_PLAN, {}), privacy: resolveSettings(user.privacy) } as ProfileView;
  }
  const out: View = { user_id: user.user_id, display_name: user.display_name };
  copyAllowed(fieldsOf(user), fieldPlan('profile', decision.group_mask), out);
  return out as ProfileView;
}

export type LeaderboardMetric = 'distance' | 'time' | 'count' | 'pace';

export interface LeaderboardCandidate {
  readonly rank: number;
  readonly user_id: string;
  readonly display_name: string;
  readonly value: number;
  readonly profile_image_url?: string | null;
}

export interface LeaderboardEntry {
  rank: number;
  user_id: string;
  display_name: string;
  value: number;
  profile_image_url?: string;
}

/** Whether the athlete belongs on this viewer's board for the metric; filter before ranking. */
export function isOnLeaderboard(decision: Decision, metric: LeaderboardMetric): boolean {
  const board = decision.leaderboard;
  if (board === undefined || !board.listed) return false;
  return metric !== 'pace' || board.pace_allowed;
}

/** A leaderboard entry: only rank, user_id, display_name, value, and the photo when shared. */
export function shapeLeaderboardEntry(
  candidate: LeaderboardCandidate,
  decision: Decision,
  metric: LeaderboardMetric,
): LeaderboardEntry | undefined {
  if (!isOnLeaderboard(decision, metric)) return undefined;
  const entry: LeaderboardEntry = {
    rank: candidate.rank,
    user_id: candidate.user_id,
    display_name: candidate.display_name,
    value: candidate.value,
  };
  if (decision.leaderboard?.profile_image_allowed && typeof candidate.profile_image_url === 'string') {
    entry.profile_image_url = candidate.profile_image_url;
  }
  return entry;
}

export interface RosterMember {
  readonly user_id: string;
  readonly display_name?: string;
  readonly member_level?: string;
  readonly labels?: readonly string[];
  readonly status?: string;
  /** The athlete's answer to the membership: `profile_status` exists only once it is `accepted` (§8). */
  readonly consent?: Consent;
  readonly assigned_coach_id?: string | null;
  readonly joined_at?: string;
}

export type ProfileStatusFlags = { readonly [K in (typeof PROFILE_STATUS_FLAGS)[number]]?: boolean };

/**
 * A roster row with `profile_status`: membership data is the organization's own and always shown to
 * the lister; the flags only for a member who accepted (§8: until then the athlete's profile is not
 * the organization's to look at); `profile_image_url` and `gender` follow the lister's decision (§5).
 */
export function shapeRosterProfile(
  member: RosterMember,
  flags: ProfileStatusFlags,
  athlete: { readonly profile_image_url?: string | null; readonly gender?: string | null },
  decision: Decision,
): View {
  const out: View = {};
  const src = fieldsOf(member);
  for (const field of ROSTER_MEMBER_FIELDS) if (src[field] !== undefined) out[field] = src[field];
  if (member.consent !== 'accepted') return out;
  const status: View = {};
  const flagSrc = fieldsOf(flags);
  for (const flag of PROFILE_STATUS_FLAGS) if (typeof flagSrc[flag] === 'boolean') status[flag] = flagSrc[flag];
  const profileShown = decision.context !== 'leaderboard' && (isOwnerView(decision) || decision.groups.profile_info);
  if (profileShown) {
    const athleteSrc = fieldsOf(athlete);
    for (const field of ROSTER_PROFILE_FIELDS)
      if (athleteSrc[field] !== undefined && athleteSrc[field] !== null) status[field] = athleteSrc[field];
  }
  out.profile_status = status;
  return out;
}
