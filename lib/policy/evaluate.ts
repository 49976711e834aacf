/**
 * The rules themselves (spec/privacy.md §3–§5), evaluated into one reason per target. This is the
 * single source of truth: the engine derives its cached decisions from these reasons, so a decision and
 * its explanation cannot disagree. Anything not explicitly allowed is denied.
 */
import type { PrivacySettings } from './settings';
import type { Relationship } from './relationship';
import {
  DETAIL_SETTING,
  FIELD_GROUPS,
  type DetailGroup,
  type FieldGroup,
  type PolicyContext,
  type Reason,
  type ReasonTarget,
  type RuleId,
} from './rules';

interface Verdict {
  readonly allow: boolean;
  readonly rule: RuleId;
}

const allow = (rule: RuleId): Verdict => ({ allow: true, rule });
const deny = (rule: RuleId): Verdict => ({ allow: false, rule });

const isKnownRelationship = (rel: string): boolean =>
  rel === 'self' || rel === 'coach' || rel === 'group' || rel === 'public' || rel === 'anonymous';
const isKnownContext = (ctx: string): boolean =>
  ctx === 'profile' || ctx === 'activity' || ctx === 'feed' || ctx === 'coach_view' || ctx === 'roster' || ctx === 'leaderboard';

/** §3: does the viewer see anything beyond the identity card? */
function audience(s: PrivacySettings, rel: Relationship): Verdict {
  // self-owner: the owner always sees their own data.
  if (rel === 'self') return allow('self-owner');
  // anonymous-no-credentials: no athlete data without credentials.
  if (rel === 'anonymous') return deny('anonymous-no-credentials');
  // default-deny: a relationship this engine does not know.
  if (!isKnownRelationship(rel)) return deny('default-deny');
  // master-off: the master switch closes every audience, share_with_coach included.
  if (!s.share_activity_in_profile) return deny('master-off');
  // audience-<rel>-opened: the audience's own toggle.
  if (rel === 'coach' && s.share_activity_with_coach) return allow('audience-coach-opened');
  if (rel === 'group' && s.share_activity_with_group) return allow('audience-group-opened');
  if (rel === 'public') return s.share_activity_with_public ? allow('audience-public-opened') : deny('audience-public-closed');
  // public-floor: what any signed-in caller sees, a coach or group member sees too.
  if (s.share_activity_with_public) return allow('public-floor');
  // audience-<rel>-closed: neither the audience's toggle nor the floor opened it.
  return deny(rel === 'coach' ? 'audience-coach-closed' : 'audience-group-closed');
}

/** §4: the override exists only for a coach reached through the coach path, with share_with_coach on. */
function coachPath(s: PrivacySettings, rel: Relationship): boolean {
  return rel === 'coach' && s.share_activity_in_profile && s.share_activity_with_coach;
}

/** §4 for one data-detail group, once the audience holds (non-leaderboard contexts). */
function detail(s: PrivacySettings, rel: Relationship, group: DetailGroup): Verdict {
  const setting = DETAIL_SETTING[group];
  // detail-toggle-on: the athlete shares this group with their audience.
  if (s[setting]) return allow(`detail-toggle-on:${setting}`);
  if (rel === 'coach') {
    // public-floor-no-override: the floor opens the audience but never carries the override.
    if (!coachPath(s, rel)) return deny('public-floor-no-override');
    // coach-override: the coach path plus share_with_coach beats the data-detail toggles.
    return s.share_with_coach ? allow('coach-override') : deny('coach-override-off');
  }
  // detail-toggle-off: the toggle is off and nothing overrides it.
  return deny(`detail-toggle-off:${setting}`);
}

/** §5 leaderboard: is the athlete listed for this viewer at all? */
function listing(s: PrivacySettings, rel: Relationship, aud: Verdict): Verdict {
  if (rel === 'anonymous' || !isKnownRelationship(rel)) return aud;
  // leaderboard-not-participating: non-participants appear to nobody, themselves included.
  if (!s.paticipate_leaderboard) return deny('leaderboard-not-participating');
  if (!aud.allow) return aud;
  // leaderboard-listed: participation && audience.
  return allow('leaderboard-listed');
}

/** §5 leaderboard, one field group: stricter than any other context, the same for the owner. */
function leaderboardGroup(s: PrivacySettings, rel: Relationship, listed: Verdict, group: FieldGroup): Verdict {
  if (!listed.allow) return listed;
  if (group === 'activity_base') return allow('leaderboard-listed');
  if (group !== 'pace' && group !== 'profile_info') return deny('leaderboard-excluded');
  const setting = DETAIL_SETTING[group];
  if (s[setting]) return allow(`detail-toggle-on:${setting}`);
  // leaderboard-no-override: a coach who has the override elsewhere does not have it here.
  if (coachPath(s, rel) && s.share_with_coach) return deny('leaderboard-no-override');
  return deny(`detail-toggle-off:${setting}`);
}

const reason = (target: ReasonTarget, v: Verdict): Reason => Object.freeze({ target, effect: v.allow ? 'allow' : 'deny', rule: v.rule });

/**
 * All reasons for one request, in a fixed order: audience, identity_card, leaderboard (leaderboard
 * context only), the eight field groups, privacy.
 */
export function evaluate(s: PrivacySettings, rel: Relationship, ctx: PolicyContext): Reason[] {
  if (!isKnownContext(ctx)) {
    const denied = deny('default-deny');
    return [
      reason('audience', denied),
      reason('identity_card', denied),
      ...FIELD_GROUPS.map((g) => reason(g, denied)),
      reason('privacy', denied),
    ];
  }
  const aud = audience(s, rel);
  const known = isKnownRelationship(rel) && rel !== 'anonymous';
  const out: Reason[] = [reason('audience', aud)];

  if (ctx === 'leaderboard') {
    const listed = listing(s, rel, aud);
    out.push(reason('identity_card', listed), reason('leaderboard', listed));
    for (const g of FIELD_GROUPS) out.push(reason(g, leaderboardGroup(s, rel, listed, g)));
    // leaderboard-excluded / privacy-owner-only: settings never travel on a board.
    out.push(reason('privacy', deny(rel === 'self' ? 'leaderboard-excluded' : 'privacy-owner-only')));
    return out;
  }

  // identity-card: every signed-in caller may know who the athlete is.
  out.push(reason('identity_card', known ? allow('identity-card') : aud));
  for (const g of FIELD_GROUPS) {
    let v: Verdict;
    if (rel === 'self' || !aud.allow) v = aud;
    // base-with-audience: the activity base needs nothing but the audience.
    else if (g === 'activity_base') v = allow('base-with-audience');
    else v = detail(s, rel, g);
    out.push(reason(g, v));
  }
  // privacy-owner-only: only the owner reads the settings.
  out.push(reason('privacy', rel === 'self' ? allow('self-owner') : deny('privacy-owner-only')));
  return out;
}
