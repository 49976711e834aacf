import {
  DEFAULT_PRIVACY,
  decide,
  RULES,
  RULE_IDS,
  type PolicyContext,
  type PrivacySettings,
  type Relationship,
  type ReasonTarget,
} from '@astral/lib/policy';

type Expect = { [K in ReasonTarget]?: string | undefined };
interface Fixture {
  readonly label: string;
  readonly settings?: Partial<PrivacySettings>;
  readonly rel: Relationship;
  readonly ctx: PolicyContext;
  /** `allow <rule>` / `deny <rule>` per target; unlisted targets are not asserted here. */
  readonly expect: Expect;
}

const OFF_DETAILS: Partial<PrivacySettings> = {
  share_pace_data: false,
  share_activity_map: false,
  share_training_data: false,
  share_profile_info: false,
  share_race_history: false,
  share_pb: false,
  share_race_goal: false,
};

function check(f: Fixture): void {
  const { decision, reasons } = decide({ settings: { ...DEFAULT_PRIVACY, ...f.settings }, relationship: f.rel, context: f.ctx });
  const actual: Expect = {};
  for (const r of reasons) actual[r.target] = `${r.effect} ${r.rule}`;
  const asserted: Expect = {};
  for (const target of Object.keys(f.expect) as ReasonTarget[]) asserted[target] = actual[target];
  expect(asserted).toEqual(f.expect);
  // The decision says the same as its reasons.
  for (const [target, verdict] of Object.entries(f.expect) as [ReasonTarget, string][]) {
    const allowed = verdict.startsWith('allow');
    if (target === 'audience') expect(decision.audience).toBe(allowed);
    else if (target === 'identity_card') expect(decision.identity_card).toBe(allowed);
    else if (target === 'privacy') expect(decision.privacy_visible).toBe(allowed);
    else if (target === 'leaderboard') expect(decision.leaderboard?.listed).toBe(allowed);
    else expect(decision.groups[target]).toBe(allowed);
  }
}

const ALLOW: Fixture[] = [
  {
    label: 'owner sees everything and their settings',
    rel: 'self',
    ctx: 'profile',
    settings: { share_activity_in_profile: false, ...OFF_DETAILS },
    expect: { audience: 'allow self-owner', map: 'allow self-owner', race_goal: 'allow self-owner', privacy: 'allow self-owner' },
  },
  {
    label: 'coach with defaults',
    rel: 'coach',
    ctx: 'activity',
    expect: {
      audience: 'allow audience-coach-opened',
      identity_card: 'allow identity-card',
      activity_base: 'allow base-with-audience',
      pace: 'allow detail-toggle-on:share_pace_data',
      privacy: 'deny privacy-owner-only',
    },
  },
  {
    label: 'coach override through the coach path',
    rel: 'coach',
    ctx: 'coach_view',
    settings: OFF_DETAILS,
    expect: {
      audience: 'allow audience-coach-opened',
      pace: 'allow coach-override',
      map: 'allow coach-override',
      training: 'allow coach-override',
      profile_info: 'allow coach-override',
      race_history: 'allow coach-override',
      personal_bests: 'allow coach-override',
      race_goal: 'allow coach-override',
    },
  },
  {
    label: 'coach override in a feed and on a profile too',
    rel: 'coach',
    ctx: 'feed',
    settings: { share_activity_map: false },
    expect: { map: 'allow coach-override', pace: 'allow detail-toggle-on:share_pace_data' },
  },
  {
    label: 'coach override in the roster',
    rel: 'coach',
    ctx: 'roster',
    settings: { share_profile_info: false },
    expect: { profile_info: 'allow coach-override' },
  },
  {
    label: 'group member with defaults',
    rel: 'group',
    ctx: 'feed',
    expect: { audience: 'allow audience-group-opened', map: 'allow detail-toggle-on:share_activity_map' },
  },
  {
    label: 'public once opened',
    rel: 'public',
    ctx: 'activity',
    settings: { share_activity_with_public: true },
    expect: {
      audience: 'allow audience-public-opened',
      activity_base: 'allow base-with-audience',
      pace: 'allow detail-toggle-on:share_pace_data',
    },
  },
  {
    label: 'public floor lifts a group member',
    rel: 'group',
    ctx: 'activity',
    settings: { share_activity_with_group: false, share_activity_with_public: true },
    expect: { audience: 'allow public-floor', activity_base: 'allow base-with-audience' },
  },
  {
    label: 'public floor lifts a coach',
    rel: 'coach',
    ctx: 'activity',
    settings: { share_activity_with_coach: false, share_activity_with_public: true },
    expect: { audience: 'allow public-floor', pace: 'allow detail-toggle-on:share_pace_data' },
  },
  {
    label: 'leaderboard: participating athlete seen by a group member',
    rel: 'group',
    ctx: 'leaderboard',
    expect: {
      leaderboard: 'allow leaderboard-listed',
      identity_card: 'allow leaderboard-listed',
      activity_base: 'allow leaderboard-listed',
      pace: 'allow detail-toggle-on:share_pace_data',
      profile_info: 'allow detail-toggle-on:share_profile_info',
    },
  },
  {
    label: 'leaderboard: the owner who participates',
    rel: 'self',
    ctx: 'leaderboard',
    expect: { leaderboard: 'allow leaderboard-listed', pace: 'allow detail-toggle-on:share_pace_data' },
  },
];

const DENY: Fixture[] = [
  {
    label: 'master off closes the coach, share_with_coach included',
    rel: 'coach',
    ctx: 'coach_view',
    settings: { share_activity_in_profile: false },
    expect: {
      audience: 'deny master-off',
      identity_card: 'allow identity-card',
      activity_base: 'deny master-off',
      pace: 'deny master-off',
      map: 'deny master-off',
      race_goal: 'deny master-off',
    },
  },
  {
    label: 'master off beats public sharing',
    rel: 'public',
    ctx: 'profile',
    settings: { share_activity_in_profile: false, share_activity_with_public: true },
    expect: { audience: 'deny master-off', profile_info: 'deny master-off' },
  },
  {
    label: 'master off: a group member',
    rel: 'group',
    ctx: 'feed',
    settings: { share_activity_in_profile: false },
    expect: { audience: 'deny master-off', activity_base: 'deny master-off' },
  },
  {
    label: 'public by default',
    rel: 'public',
    ctx: 'profile',
    expect: { audience: 'deny audience-public-closed', identity_card: 'allow identity-card', profile_info: 'deny audience-public-closed' },
  },
  {
    label: 'coach sharing off',
    rel: 'coach',
    ctx: 'coach_view',
    settings: { share_activity_with_coach: false },
    expect: { audience: 'deny audience-coach-closed', activity_base: 'deny audience-coach-closed', map: 'deny audience-coach-closed' },
  },
  {
    label: 'group sharing off',
    rel: 'group',
    ctx: 'feed',
    settings: { share_activity_with_group: false },
    expect: { audience: 'deny audience-group-closed' },
  },
  {
    label: 'no override through the public floor',
    rel: 'coach',
    ctx: 'coach_view',
    settings: { share_activity_with_coach: false, share_activity_with_public: true, ...OFF_DETAILS },
    expect: {
      audience: 'allow public-floor',
      activity_base: 'allow base-with-audience',
      pace: 'deny public-floor-no-override',
      map: 'deny public-floor-no-override',
      race_goal: 'deny public-floor-no-override',
    },
  },
  {
    label: 'share_with_coach off: the toggles decide',
    rel: 'coach',
    ctx: 'coach_view',
    settings: { share_with_coach: false, share_activity_map: false },
    expect: { map: 'deny coach-override-off', pace: 'allow detail-toggle-on:share_pace_data' },
  },
  {
    label: 'no override for a group member',
    rel: 'group',
    ctx: 'activity',
    settings: { share_pace_data: false },
    expect: { pace: 'deny detail-toggle-off:share_pace_data' },
  },
  {
    label: 'detail toggles for the public',
    rel: 'public',
    ctx: 'profile',
    settings: { share_activity_with_public: true, share_pb: false, share_race_goal: false, share_race_history: false },
    expect: {
      personal_bests: 'deny detail-toggle-off:share_pb',
      race_goal: 'deny detail-toggle-off:share_race_goal',
      race_history: 'deny detail-toggle-off:share_race_history',
      profile_info: 'allow detail-toggle-on:share_profile_info',
    },
  },
  {
    label: 'anonymous sees nothing, identity card included',
    rel: 'anonymous',
    ctx: 'profile',
    settings: { share_activity_with_public: true },
    expect: {
      audience: 'deny anonymous-no-credentials',
      identity_card: 'deny anonymous-no-credentials',
      activity_base: 'deny anonymous-no-credentials',
      privacy: 'deny privacy-owner-only',
    },
  },
  {
    label: 'anonymous on a leaderboard',
    rel: 'anonymous',
    ctx: 'leaderboard',
    settings: { share_activity_with_public: true },
    expect: { leaderboard: 'deny anonymous-no-credentials', activity_base: 'deny anonymous-no-credentials' },
  },
  {
    label: 'leaderboard: non-participant hidden from the owner',
    rel: 'self',
    ctx: 'leaderboard',
    settings: { paticipate_leaderboard: false },
    expect: {
      leaderboard: 'deny leaderboard-not-participating',
      identity_card: 'deny leaderboard-not-participating',
      activity_base: 'deny leaderboard-not-participating',
      privacy: 'deny leaderboard-excluded',
    },
  },
  {
    label: 'leaderboard: non-participant hidden from the coach',
    rel: 'coach',
    ctx: 'leaderboard',
    settings: { paticipate_leaderboard: false },
    expect: { leaderboard: 'deny leaderboard-not-participating' },
  },
  {
    label: 'leaderboard: participant without audience',
    rel: 'public',
    ctx: 'leaderboard',
    expect: { audience: 'deny audience-public-closed', leaderboard: 'deny audience-public-closed' },
  },
  {
    label: 'leaderboard: master off',
    rel: 'group',
    ctx: 'leaderboard',
    expect: { leaderboard: 'deny master-off' },
    settings: { share_activity_in_profile: false },
  },
  {
    label: 'leaderboard: no map, no training, no profile details, ever',
    rel: 'coach',
    ctx: 'leaderboard',
    expect: {
      map: 'deny leaderboard-excluded',
      training: 'deny leaderboard-excluded',
      race_history: 'deny leaderboard-excluded',
      personal_bests: 'deny leaderboard-excluded',
      race_goal: 'deny leaderboard-excluded',
      privacy: 'deny privacy-owner-only',
    },
  },
  {
    label: 'leaderboard: the owner gets no map either',
    rel: 'self',
    ctx: 'leaderboard',
    expect: { map: 'deny leaderboard-excluded', training: 'deny leaderboard-excluded' },
  },
  {
    label: 'leaderboard: no coach override for pace or photo',
    rel: 'coach',
    ctx: 'leaderboard',
    settings: { share_pace_data: false, share_profile_info: false },
    expect: { leaderboard: 'allow leaderboard-listed', pace: 'deny leaderboard-no-override', profile_info: 'deny leaderboard-no-override' },
  },
  {
    label: 'leaderboard: pace needs share_pace_data (group)',
    rel: 'group',
    ctx: 'leaderboard',
    settings: { share_pace_data: false },
    expect: { pace: 'deny detail-toggle-off:share_pace_data', activity_base: 'allow leaderboard-listed' },
  },
  {
    label: 'leaderboard: floor-reached coach, pace off',
    rel: 'coach',
    ctx: 'leaderboard',
    settings: { share_activity_with_coach: false, share_activity_with_public: true, share_pace_data: false },
    expect: { leaderboard: 'allow leaderboard-listed', pace: 'deny detail-toggle-off:share_pace_data' },
  },
];

describe('engine decisions with reasons (privacy.md §3–§5)', () => {
  test.each(ALLOW.map((f) => [f.label, f] as const))('ALLOW %s', (_label, f) => check(f));
  test.each(DENY.map((f) => [f.label, f] as const))('DENY %s', (_label, f) => check(f));

  test('every reason names a documented rule, one reason per target', () => {
    const { reasons } = decide({ settings: DEFAULT_PRIVACY, relationship: 'coach', context: 'leaderboard' });
    expect(reasons.map((r) => r.target)).toEqual([
      'audience',
      'identity_card',
      'leaderboard',
      'activity_base',
      'pace',
      'map',
      'training',
      'profile_info',
      'race_history',
      'personal_bests',
      'race_goal',
      'privacy',
    ]);
    for (const r of reasons) expect(RULE_IDS).toContain(r.rule);
    expect(Object.values(RULES).every((line) => line.length > 0 && !line.includes('\n'))).toBe(true);
  });

  test('leaderboard summary for the caller', () => {
    const { decision } = decide({
      settings: { ...DEFAULT_PRIVACY, share_pace_data: false },
      relationship: 'group',
      context: 'leaderboard',
    });
    expect(decision.leaderboard).toEqual({ participates: true, listed: true, pace_allowed: false, profile_image_allowed: true });
    expect(decide({ settings: DEFAULT_PRIVACY, relationship: 'group', context: 'feed' }).decision.leaderboard).toBeUndefined();
  });

  test('default deny for a relationship or context the engine does not know', () => {
    const unknownRel = decide({ settings: DEFAULT_PRIVACY, relationship: 'admin' as Relationship, context: 'profile' });
    expect(
      unknownRel.decision.audience || unknownRel.decision.identity_card || Object.values(unknownRel.decision.groups).some(Boolean),
    ).toBe(false);
    expect(new Set(unknownRel.reasons.map((r) => `${r.effect} ${r.rule}`))).toEqual(
      new Set(['deny default-deny', 'deny privacy-owner-only']),
    );
    const unknownCtx = decide({ settings: DEFAULT_PRIVACY, relationship: 'self', context: 'export' as PolicyContext });
    expect(
      unknownCtx.decision.privacy_visible || unknownCtx.decision.identity_card || Object.values(unknownCtx.decision.groups).some(Boolean),
    ).toBe(false);
    expect(new Set(unknownCtx.reasons.map((r) => `${r.effect} ${r.rule}`))).toEqual(new Set(['deny default-deny']));
  });
});
