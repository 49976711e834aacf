/**
 * privacy.md §7.6: all 2^13 settings × 5 relationships × 6 contexts against a decision table written
 * here from the spec text, independently of the engine (no engine helper computes an expectation).
 */
import { decide, decisionFor, type Decision, type PolicyContext, type PrivacySettings, type Relationship } from '@astral/lib/policy';

const RELS: Relationship[] = ['anonymous', 'public', 'group', 'coach', 'self'];
const CTXS: PolicyContext[] = ['leaderboard', 'roster', 'coach_view', 'feed', 'activity', 'profile'];

/** The oracle's own bit order, unrelated to the engine's. */
const ORDER = [
  'paticipate_leaderboard',
  'share_with_coach',
  'share_training_data',
  'share_profile_info',
  'share_race_goal',
  'share_pb',
  'share_race_history',
  'share_activity_map',
  'share_pace_data',
  'share_activity_with_public',
  'share_activity_with_coach',
  'share_activity_with_group',
  'share_activity_in_profile',
] as const;

function settingsOf(n: number): PrivacySettings {
  const entries = ORDER.map((key, i) => [key, ((n >> i) & 1) === 1] as const);
  return Object.fromEntries(entries) as unknown as PrivacySettings;
}

/** Expected view as a string: A audience, I identity, P privacy, L listed, then the 8 groups in spec order. */
function oracle(s: PrivacySettings, rel: Relationship, ctx: PolicyContext): string {
  const master = s.share_activity_in_profile;
  // §3 opened(rel): the master switch and the audience's own toggle.
  const opened =
    (rel === 'coach' && master && s.share_activity_with_coach) ||
    (rel === 'group' && master && s.share_activity_with_group) ||
    (rel === 'public' && master && s.share_activity_with_public);
  const openedPublic = master && s.share_activity_with_public;
  // §3 audience(rel): self, or opened, or the public floor for coach and group.
  const audience = rel === 'self' || opened || ((rel === 'coach' || rel === 'group') && openedPublic);
  // §4 coach override: only through the coach path, with share_with_coach.
  const override = rel === 'coach' && master && s.share_activity_with_coach && s.share_with_coach;
  const b = (x: boolean): string => (x ? '1' : '0');

  if (ctx === 'leaderboard') {
    // §5: participation && audience, the same for the owner; only base value, pace (with the toggle) and photo.
    const listed = s.paticipate_leaderboard && audience;
    const groups = [listed, listed && s.share_pace_data, false, false, listed && s.share_profile_info, false, false, false];
    return `A${b(audience)} I${b(listed)} P0 L${b(listed)} part${b(s.paticipate_leaderboard)} ${groups.map(b).join('')}`;
  }
  if (rel === 'self') return 'A1 I1 P1 L- 11111111';
  const shown = (toggle: boolean): boolean => audience && (toggle || override);
  const groups = [
    audience, // activity base
    shown(s.share_pace_data),
    shown(s.share_activity_map),
    shown(s.share_training_data),
    shown(s.share_profile_info),
    shown(s.share_race_history),
    shown(s.share_pb),
    shown(s.share_race_goal),
  ];
  return `A${b(audience)} I${b(rel !== 'anonymous')} P0 L- ${groups.map(b).join('')}`;
}

function describeDecision(d: Decision): string {
  const b = (x: boolean | undefined): string => (x ? '1' : '0');
  const g = d.groups;
  const groups = [g.activity_base, g.pace, g.map, g.training, g.profile_info, g.race_history, g.personal_bests, g.race_goal]
    .map(b)
    .join('');
  const lb = d.leaderboard;
  if (lb) {
    // The summary must agree with the groups it summarises.
    const consistent = lb.pace_allowed === (lb.listed && g.pace) && lb.profile_image_allowed === (lb.listed && g.profile_info);
    return `A${b(d.audience)} I${b(d.identity_card)} P${b(d.privacy_visible)} L${b(lb.listed)} part${b(lb.participates)} ${groups}${consistent ? '' : ' INCONSISTENT'}`;
  }
  return `A${b(d.audience)} I${b(d.identity_card)} P${b(d.privacy_visible)} L- ${groups}`;
}

test('every combination agrees with the independent decision table', () => {
  const mismatches: string[] = [];
  let checked = 0;
  for (let n = 0; n < 1 << 13; n++) {
    const settings = settingsOf(n);
    for (const rel of RELS) {
      for (const ctx of CTXS) {
        const actual = describeDecision(decisionFor(settings, rel, ctx));
        const expected = oracle(settings, rel, ctx);
        if (actual !== expected && mismatches.length < 20)
          mismatches.push(`${JSON.stringify(settings)} ${rel} ${ctx}: got ${actual}, want ${expected}`);
        checked++;
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBe(8192 * 5 * 6);
});

test('every combination: the reasons say the same as the decision', () => {
  const mismatches: string[] = [];
  for (let n = 0; n < 1 << 13; n++) {
    const settings = settingsOf(n);
    for (const rel of RELS) {
      for (const ctx of CTXS) {
        const { decision, reasons } = decide({ settings, relationship: rel, context: ctx });
        for (const r of reasons) {
          const allowed =
            r.target === 'audience'
              ? decision.audience
              : r.target === 'identity_card'
                ? decision.identity_card
                : r.target === 'privacy'
                  ? decision.privacy_visible
                  : r.target === 'leaderboard'
                    ? decision.leaderboard?.listed === true
                    : decision.groups[r.target];
          if ((r.effect === 'allow') !== allowed && mismatches.length < 20)
            mismatches.push(`${n} ${rel} ${ctx} ${r.target} ${r.effect} ${r.rule}`);
        }
        // Each field group, the audience, the card and privacy are explained exactly once.
        if (reasons.length !== (ctx === 'leaderboard' ? 12 : 11) && mismatches.length < 20)
          mismatches.push(`${n} ${rel} ${ctx}: ${reasons.length} reasons`);
      }
    }
  }
  expect(mismatches).toEqual([]);
});
