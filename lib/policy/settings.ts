/**
 * The 13 privacy settings (spec/privacy.md §1): names, defaults, reading stored values and applying a
 * partial update. Pure: user input never throws, it yields issues the caller turns into a 400.
 */
import type { PositionIn } from './list-position';

/** Wire order, also the bit order of `settingsBits` (the engine's cache index). */
export const PRIVACY_KEYS = [
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
  // The documented (misspelt) name is the one stored and returned; see PARTICIPATE_ALIAS.
  'paticipate_leaderboard',
] as const;

export type PrivacyKey = (typeof PRIVACY_KEYS)[number];
export type PrivacySettings = { readonly [K in PrivacyKey]: boolean };

/** Accepted on input only, as a synonym of `paticipate_leaderboard`; never written back out. */
export const PARTICIPATE_ALIAS = 'participate_leaderboard';

/** Everything on except public sharing: an athlete opts in to being visible to strangers. */
export const DEFAULT_PRIVACY: PrivacySettings = Object.freeze({
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
});

const KEY_SET: ReadonlySet<string> = new Set(PRIVACY_KEYS);

export function isPrivacyKey(key: string): key is PrivacyKey {
  return KEY_SET.has(key);
}

/**
 * The effective settings of a user: stored values where they are booleans, defaults elsewhere. A user
 * who never saved settings has only defaults. Anything else in the stored object is ignored, because
 * only validated patches ever reach storage.
 */
export function resolveSettings(stored: Readonly<Partial<Record<string, unknown>>> | null | undefined): PrivacySettings {
  if (!stored) return DEFAULT_PRIVACY;
  const out: Record<PrivacyKey, boolean> = { ...DEFAULT_PRIVACY };
  for (const key of PRIVACY_KEYS) {
    const value = Object.hasOwn(stored, key) ? stored[key] : undefined;
    if (typeof value === 'boolean') out[key] = value;
  }
  return Object.freeze(out);
}

export interface PrivacyIssue {
  /** `privacy.<key>` as the client sent it, so the 400 names the offending key. */
  readonly path: string;
  readonly message: string;
}

export type PrivacyPatchResult =
  | { readonly ok: true; readonly settings: PrivacySettings; readonly changed: readonly PrivacyKey[] }
  | { readonly ok: false; readonly issues: readonly PrivacyIssue[] };

export type PrivacyPatchUpdates =
  | { readonly ok: true; readonly updates: ReadonlyMap<PrivacyKey, boolean> }
  | { readonly ok: false; readonly issues: readonly PrivacyIssue[] };

/**
 * A client's partial `privacy` object as the stored keys it changes (the alias resolved to the
 * documented key), or every problem at once: unknown keys, non-booleans, the alias contradicting the
 * documented key. What a write stores, key by key, without reading the settings it changes.
 */
export function parsePrivacyPatch(patch: unknown): PrivacyPatchUpdates {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return { ok: false, issues: [{ path: 'privacy', message: 'must be an object' }] };
  }
  const issues: PrivacyIssue[] = [];
  const updates = new Map<PrivacyKey, boolean>();
  for (const [key, value] of Object.entries(patch)) {
    const target = key === PARTICIPATE_ALIAS ? 'paticipate_leaderboard' : isPrivacyKey(key) ? key : undefined;
    if (target === undefined) {
      issues.push({ path: `privacy.${key}`, message: 'unknown privacy setting' });
      continue;
    }
    if (typeof value !== 'boolean') {
      issues.push({ path: `privacy.${key}`, message: 'must be a boolean' });
      continue;
    }
    const earlier = updates.get(target);
    if (earlier !== undefined && earlier !== value) {
      issues.push({ path: `privacy.${PARTICIPATE_ALIAS}`, message: 'conflicts with paticipate_leaderboard' });
      continue;
    }
    updates.set(target, value);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, updates };
}

/**
 * Applies a client's partial `privacy` object: only the keys it names change. Every problem is reported
 * at once (parsePrivacyPatch) and then nothing changes, so a request that fails validation writes nothing.
 */
export function applyPrivacyPatch(current: PrivacySettings, patch: unknown): PrivacyPatchResult {
  const parsed = parsePrivacyPatch(patch);
  if (!parsed.ok) return parsed;
  const { updates } = parsed;
  const next: Record<PrivacyKey, boolean> = { ...current };
  const changed: PrivacyKey[] = [];
  for (const [key, value] of updates) {
    if (next[key] !== value) changed.push(key);
    next[key] = value;
  }
  return { ok: true, settings: Object.freeze(next), changed };
}

type At<K extends PrivacyKey> = PositionIn<typeof PRIVACY_KEYS, K>;
const bit = (position: number): number => 1 << position;

/** The fast path of `settingsBits`: today's keys by name, each shift checked against PRIVACY_KEYS at compile time. */
function namedBits(s: PrivacySettings): number {
  return (
    (s.share_activity_in_profile ? bit(0 satisfies At<'share_activity_in_profile'>) : 0) |
    (s.share_activity_with_group ? bit(1 satisfies At<'share_activity_with_group'>) : 0) |
    (s.share_activity_with_coach ? bit(2 satisfies At<'share_activity_with_coach'>) : 0) |
    (s.share_activity_with_public ? bit(3 satisfies At<'share_activity_with_public'>) : 0) |
    (s.share_pace_data ? bit(4 satisfies At<'share_pace_data'>) : 0) |
    (s.share_activity_map ? bit(5 satisfies At<'share_activity_map'>) : 0) |
    (s.share_race_history ? bit(6 satisfies At<'share_race_history'>) : 0) |
    (s.share_pb ? bit(7 satisfies At<'share_pb'>) : 0) |
    (s.share_race_goal ? bit(8 satisfies At<'share_race_goal'>) : 0) |
    (s.share_profile_info ? bit(9 satisfies At<'share_profile_info'>) : 0) |
    (s.share_training_data ? bit(10 satisfies At<'share_training_data'>) : 0) |
    (s.share_with_coach ? bit(11 satisfies At<'share_with_coach'>) : 0) |
    (s.paticipate_leaderboard ? bit(12 satisfies At<'paticipate_leaderboard'>) : 0)
  );
}

/** `settingsBits` by definition, one key at a time: the slow path, for keys `namedBits` does not name. */
export function scanBits(s: PrivacySettings, keys: readonly PrivacyKey[]): number {
  let bits = 0;
  for (const key of keys) if (s[key]) bits |= 1 << PRIVACY_KEYS.indexOf(key);
  return bits;
}

/** Keys `namedBits` does not read (none today): a key added to PRIVACY_KEYS gets its bit here until it is named there. */
const UNNAMED_KEYS: readonly PrivacyKey[] = PRIVACY_KEYS.filter((_, i) => namedBits(settingsFromBits(1 << i)) === 0);

/**
 * The settings as a number of PRIVACY_KEYS.length bits (bit i = PRIVACY_KEYS[i]); the engine indexes its
 * decision cache with it so that deciding costs a table look-up, not a rule evaluation.
 */
export function settingsBits(s: PrivacySettings): number {
  return UNNAMED_KEYS.length === 0 ? namedBits(s) : namedBits(s) | scanBits(s, UNNAMED_KEYS);
}

/** Inverse of `settingsBits`. */
export function settingsFromBits(bits: number): PrivacySettings {
  const out = {} as Record<PrivacyKey, boolean>;
  PRIVACY_KEYS.forEach((key, i) => {
    out[key] = (bits & (1 << i)) !== 0;
  });
  return Object.freeze(out);
}
