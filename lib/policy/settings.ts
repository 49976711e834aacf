/**
 * The 13 privacy settings (spec/privacy.md §1): names, defaults, reading stored values and applying a
 * partial update. Pure: user input never throws, it yields issues the caller turns into a 400.
 */

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

/**
 * Applies a client's partial `privacy` object: only the keys it names change. Every problem is reported
 * at once (unknown keys, non-booleans, the alias contradicting the documented key) and then nothing
 * changes, so a request that fails validation writes nothing.
 */
export function applyPrivacyPatch(current: PrivacySettings, patch: unknown): PrivacyPatchResult {
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
  if (issues.length > 0) return { ok: false, issues };
  const next: Record<PrivacyKey, boolean> = { ...current };
  const changed: PrivacyKey[] = [];
  for (const [key, value] of updates) {
    if (next[key] !== value) changed.push(key);
    next[key] = value;
  }
  return { ok: true, settings: Object.freeze(next), changed };
}

/**
 * The 13 settings as a 13-bit number (bit i = PRIVACY_KEYS[i]); the engine indexes its decision cache
 * with it so that deciding costs a table look-up, not a rule evaluation.
 */
export function settingsBits(s: PrivacySettings): number {
  return (
    (s.share_activity_in_profile ? 1 : 0) |
    (s.share_activity_with_group ? 2 : 0) |
    (s.share_activity_with_coach ? 4 : 0) |
    (s.share_activity_with_public ? 8 : 0) |
    (s.share_pace_data ? 16 : 0) |
    (s.share_activity_map ? 32 : 0) |
    (s.share_race_history ? 64 : 0) |
    (s.share_pb ? 128 : 0) |
    (s.share_race_goal ? 256 : 0) |
    (s.share_profile_info ? 512 : 0) |
    (s.share_training_data ? 1024 : 0) |
    (s.share_with_coach ? 2048 : 0) |
    (s.paticipate_leaderboard ? 4096 : 0)
  );
}

/** Inverse of `settingsBits`. */
export function settingsFromBits(bits: number): PrivacySettings {
  const out = {} as Record<PrivacyKey, boolean>;
  PRIVACY_KEYS.forEach((key, i) => {
    out[key] = (bits & (1 << i)) !== 0;
  });
  return Object.freeze(out);
}
