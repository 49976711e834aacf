/** privacy.md §7 properties 1–5, over generated settings, viewers and objects with random extra keys. */
import fc from 'fast-check';
import {
  decisionFor,
  explainRelationship,
  OWNER_ACTIVITY_FIELDS,
  OWNER_PROFILE_FIELDS,
  shapeActivity,
  shapeLeaderboardEntry,
  shapeProfile,
  shapeRosterProfile,
  type Decision,
  type LeaderboardMetric,
  type PrivacySettings,
  type Relationship,
  type Consent,
  type OrganizationFacts,
} from '@astral/lib/policy';
import {
  ACTIVITY_FIELDS,
  CONTEXTS,
  NON_OWNERS,
  PROFILE_FIELDS,
  RELATIONSHIPS,
  SETTING_KEYS,
  SPEC,
  activityArb,
  contextArb,
  keysOf,
  nonBoardContextArb,
  nonOwnerArb,
  profileArb,
  relationshipArb,
  settingsArb,
  subset,
} from './arbitraries';

const RUNS = { numRuns: 300 };
/** privacy.md §1, written out here rather than taken from the engine. */
const DEFAULTS: Record<(typeof SETTING_KEYS)[number], boolean> = {
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
};
const metricArb = fc.constantFrom<LeaderboardMetric>('distance', 'time', 'count', 'pace');
/** Stored booleans under known keys win; anything else (junk from the extra-key generator) is ignored. */
const expectedPrivacy = (stored: unknown): Record<string, boolean> => {
  const out: Record<string, boolean> = { ...DEFAULTS };
  if (typeof stored !== 'object' || stored === null) return out;
  for (const key of SETTING_KEYS) {
    const v: unknown = (stored as Record<string, unknown>)[key];
    if (Object.hasOwn(stored, key) && typeof v === 'boolean') out[key] = v;
  }
  return out;
};
const candidate = (profile: Record<string, unknown>) => ({
  rank: 1,
  user_id: 'usr_athlete',
  display_name: String(profile.display_name),
  value: 42,
  ...(typeof profile.profile_image_url === 'string' ? { profile_image_url: profile.profile_image_url } : {}),
});
const roster = (profile: Record<string, unknown>, d: Decision) =>
  shapeRosterProfile(
    { user_id: 'usr_athlete', display_name: 'Alex', member_level: 'intermediate', labels: ['5k'], status: 'active', consent: 'accepted' },
    { has_strava: true, has_mbti: false },
    { profile_image_url: 'https://img/a.jpg', gender: typeof profile.gender === 'string' ? profile.gender : 'female' },
    d,
  );
const profileStatusKeys = (d: Decision, profile: Record<string, unknown>): string[] => keysOf(roster(profile, d).profile_status as object);

/** Everything a viewer can get about the athlete in a context, as a set of paths. */
function visiblePaths(
  profile: Record<string, unknown>,
  activity: Record<string, unknown>,
  d: Decision,
  metric: LeaderboardMetric,
): Set<string> {
  const out = new Set<string>();
  const add = (prefix: string, o: object | undefined): void => {
    if (o === undefined) return;
    out.add(prefix);
    for (const k of keysOf(o)) {
      out.add(`${prefix}.${k}`);
      const v: unknown = (o as Record<string, unknown>)[k];
      if ((k === 'map' || k === 'training_zones') && typeof v === 'object' && v !== null)
        for (const inner of keysOf(v)) out.add(`${prefix}.${k}.${inner}`);
    }
  };
  add('profile', shapeProfile(profile as { user_id: string; display_name: string }, d));
  add('activity', shapeActivity(activity, d, []));
  add('entry', shapeLeaderboardEntry(candidate(profile), d, metric));
  for (const k of profileStatusKeys(d, profile)) out.add(`roster.${k}`);
  return out;
}

describe('1. owner sees everything; anonymous sees no athlete data', () => {
  test('owner: every documented field of their profile and activities, plus all 13 settings, in every non-board context', () => {
    const documented = (value: object, fields: readonly string[]) =>
      Object.fromEntries(Object.entries(value).filter(([key]) => fields.includes(key)));
    fc.assert(
      fc.property(settingsArb, nonBoardContextArb, profileArb, activityArb, (settings, ctx, profile, activity) => {
        const d = decisionFor(settings, 'self', ctx);
        // Stray fields the generators add (withExtras) are undocumented: no one gets them, the owner neither.
        expect(shapeProfile(profile, d)).toEqual({
          ...documented(profile, OWNER_PROFILE_FIELDS),
          privacy: expectedPrivacy(profile.privacy),
        });
        expect(shapeActivity(activity, d, [])).toEqual(documented(activity, OWNER_ACTIVITY_FIELDS));
        expect(profileStatusKeys(d, profile)).toEqual(expect.arrayContaining(['profile_image_url', 'gender']));
      }),
      RUNS,
    );
  });

  test('anonymous: nothing in any context, whatever the settings', () => {
    fc.assert(
      fc.property(settingsArb, contextArb, metricArb, profileArb, activityArb, (settings, ctx, metric, profile, activity) => {
        const d = decisionFor(settings, 'anonymous', ctx);
        expect(shapeProfile(profile, d)).toBeUndefined();
        expect(shapeActivity(activity, d, [])).toBeUndefined();
        expect(shapeLeaderboardEntry(candidate(profile), d, metric)).toBeUndefined();
        expect(subset(profileStatusKeys(d, profile), ['has_strava', 'has_mbti'])).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('2. master off ⇒ every non-owner sees only the identity card, in every context', () => {
  test.each(NON_OWNERS.map((r) => [r]))('%s', (rel) => {
    fc.assert(
      fc.property(settingsArb, contextArb, metricArb, profileArb, activityArb, (s, ctx, metric, profile, activity) => {
        const d = decisionFor({ ...s, share_activity_in_profile: false }, rel, ctx);
        const shaped = shapeProfile(profile, d);
        if (shaped !== undefined) expect(shaped).toEqual({ user_id: profile.user_id, display_name: profile.display_name });
        if (ctx !== 'leaderboard' && rel !== 'anonymous') expect(shaped).toBeDefined();
        expect(shapeActivity(activity, d, [])).toBeUndefined();
        expect(shapeLeaderboardEntry(candidate(profile), d, metric)).toBeUndefined();
        expect(subset(profileStatusKeys(d, profile), ['has_strava', 'has_mbti'])).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('3. monotonicity: turning a setting from false to true never hides anything from anyone', () => {
  test('decisions and shaped views only grow', () => {
    const key = fc.constantFrom(...SETTING_KEYS);
    fc.assert(
      fc.property(
        settingsArb,
        key,
        relationshipArb,
        contextArb,
        metricArb,
        profileArb,
        activityArb,
        (s, k, rel, ctx, metric, profile, activity) => {
          const before: PrivacySettings = { ...s, [k]: false };
          const after: PrivacySettings = { ...s, [k]: true };
          const lost = [...visiblePaths(profile, activity, decisionFor(before, rel, ctx), metric)].filter(
            (p) => !visiblePaths(profile, activity, decisionFor(after, rel, ctx), metric).has(p),
          );
          expect(lost).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('over every setting, relationship and context (decision level)', () => {
    const shrunk: string[] = [];
    const flags = (d: Decision): boolean[] => [
      d.audience,
      d.identity_card,
      d.privacy_visible,
      d.leaderboard?.listed === true,
      d.leaderboard?.pace_allowed === true,
      ...Object.values(d.groups),
    ];
    for (let n = 0; n < 1 << 13; n++) {
      const s = Object.fromEntries(SETTING_KEYS.map((key, i) => [key, ((n >> i) & 1) === 1])) as Record<
        (typeof SETTING_KEYS)[number],
        boolean
      >;
      for (const k of SETTING_KEYS) {
        if (s[k]) continue;
        for (const rel of RELATIONSHIPS)
          for (const ctx of CONTEXTS) {
            const a = flags(decisionFor(s, rel, ctx));
            const b = flags(decisionFor({ ...s, [k]: true }, rel, ctx));
            if (a.some((x, i) => x && !b[i]) && shrunk.length < 10) shrunk.push(`${n} +${k} ${rel} ${ctx}`);
          }
      }
    }
    expect(shrunk).toEqual([]);
  });
});

describe("4. the leaderboard view is never larger than the same viewer's activity view", () => {
  test('every entry field is visible to that viewer in the activity context', () => {
    fc.assert(
      fc.property(settingsArb, relationshipArb, metricArb, profileArb, activityArb, (s, rel, metric, profile, activity) => {
        const board = decisionFor(s, rel, 'leaderboard');
        const act = decisionFor(s, rel, 'activity');
        const entry = shapeLeaderboardEntry(candidate(profile), board, metric);
        if (entry === undefined) return;
        expect(shapeActivity(activity, act, [])).toBeDefined();
        if (metric === 'pace') expect(act.groups.pace).toBe(true);
        if ('profile_image_url' in entry)
          expect(shapeProfile(profile, decisionFor(s, rel, 'profile'))?.profile_image_url).toBe(entry.profile_image_url);
        for (const [group, allowed] of Object.entries(board.groups))
          if (allowed) expect([group, act.groups[group as keyof Decision['groups']]]).toEqual([group, true]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('5. no field outside the §4 table ever reaches a non-owner', () => {
  test('activities, profiles, leaderboard entries and roster rows carry only table fields', () => {
    fc.assert(
      fc.property(settingsArb, nonOwnerArb, contextArb, metricArb, profileArb, activityArb, (s, rel, ctx, metric, profile, activity) => {
        const d = decisionFor(s, rel, ctx);
        const shapedActivity = shapeActivity(activity, d, []) ?? {};
        expect(subset(keysOf(shapedActivity), ACTIVITY_FIELDS)).toEqual([]);
        const map = shapedActivity.map;
        if (map !== undefined) expect(subset(keysOf(map as object), SPEC.mapInner)).toEqual([]);
        const shapedProfile = shapeProfile(profile, d) ?? {};
        expect(subset(keysOf(shapedProfile), PROFILE_FIELDS)).toEqual([]);
        for (const nested of [shapedActivity.training_zones, (shapedProfile as Record<string, unknown>).training_zones]) {
          if (nested !== undefined) expect(subset(keysOf(nested as object), SPEC.zonesInner)).toEqual([]);
        }
        expect(subset(keysOf(shapeLeaderboardEntry(candidate(profile), d, metric) ?? {}), SPEC.leaderboardEntry)).toEqual([]);
        const row = roster(profile, d);
        expect(subset(keysOf(row), SPEC.rosterMember)).toEqual([]);
        expect(subset(keysOf(row.profile_status as object), SPEC.profileStatus)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

const consentArb = fc.constantFrom<Consent>('pending', 'accepted', 'declined');

describe('relationship: admin and app keys get no privilege', () => {
  const orgArb: fc.Arbitrary<OrganizationFacts> = fc.record({
    org_id: fc.constantFrom('org_1', 'org_2'),
    athlete_active_member: fc.boolean(),
    athlete_consent: consentArb,
    athlete_assigned_coach_id: fc.constantFrom(null, 'usr_v', 'usr_other'),
    head_coach_user_id: fc.constantFrom('usr_v', 'usr_head'),
    viewer_is_coach: fc.boolean(),
    viewer_coach_consent: consentArb,
    viewer_active_member: fc.boolean(),
    viewer_member_consent: consentArb,
  });
  const factsArb = fc.array(orgArb, { maxLength: 3 });

  test('the admin flag never changes the relationship', () => {
    fc.assert(
      fc.property(factsArb, fc.constantFrom('usr_v', 'usr_athlete'), (organizations, viewerId) => {
        const as = (is_admin: boolean): Relationship =>
          explainRelationship({ viewer: { kind: 'user', user_id: viewerId, is_admin }, athlete_id: 'usr_athlete', organizations })
            .relationship;
        expect(as(true)).toBe(as(false));
      }),
      RUNS,
    );
  });

  test('consent (§8): organizations where the athlete has not accepted never make anyone coach or group', () => {
    fc.assert(
      fc.property(factsArb, fc.boolean(), (organizations, admin) => {
        const unanswered = organizations.map((o) => ({
          ...o,
          athlete_consent: o.athlete_consent === 'accepted' ? ('pending' as const) : o.athlete_consent,
        }));
        const rel = explainRelationship({
          viewer: { kind: 'user', user_id: 'usr_v', is_admin: admin },
          athlete_id: 'usr_athlete',
          organizations: unanswered,
        }).relationship;
        expect(rel).toBe('public');
      }),
      RUNS,
    );
  });

  test('consent (§8): a viewer who accepted none of their own ties is never coach or group', () => {
    fc.assert(
      fc.property(factsArb, (organizations) => {
        const unanswered = organizations.map((o) => ({
          ...o,
          viewer_coach_consent: 'declined' as const,
          viewer_member_consent: 'pending' as const,
        }));
        expect(
          explainRelationship({
            viewer: { kind: 'user', user_id: 'usr_v', is_admin: false },
            athlete_id: 'usr_athlete',
            organizations: unanswered,
          }).relationship,
        ).toBe('public');
      }),
      RUNS,
    );
  });

  test('consent (§8): an answer can only ever narrow: withdrawing any acceptance never makes the relationship closer', () => {
    const rank: Record<Relationship, number> = { self: 4, coach: 3, group: 2, public: 1, anonymous: 0 };
    fc.assert(
      fc.property(
        factsArb,
        fc.nat(),
        fc.constantFrom('athlete_consent', 'viewer_coach_consent', 'viewer_member_consent'),
        (organizations, pick, field) => {
          if (organizations.length === 0) return;
          const viewer = { kind: 'user' as const, user_id: 'usr_v', is_admin: false };
          const index = pick % organizations.length;
          const narrowed = organizations.map((o, i) => (i === index ? { ...o, [field]: 'pending' } : o));
          const before = explainRelationship({ viewer, athlete_id: 'usr_athlete', organizations }).relationship;
          const after = explainRelationship({ viewer, athlete_id: 'usr_athlete', organizations: narrowed }).relationship;
          expect(rank[after]).toBeLessThanOrEqual(rank[before]);
        },
      ),
      RUNS,
    );
  });

  test('an app key is public and anonymous is anonymous, whatever the facts', () => {
    fc.assert(
      fc.property(factsArb, (organizations) => {
        expect(
          explainRelationship({ viewer: { kind: 'app', app_id: 'usr_v' }, athlete_id: 'usr_athlete', organizations }).relationship,
        ).toBe('public');
        expect(explainRelationship({ viewer: { kind: 'anonymous' }, athlete_id: 'usr_athlete', organizations }).relationship).toBe(
          'anonymous',
        );
      }),
      RUNS,
    );
  });

  test('without an active athlete membership, no organization ties anyone', () => {
    fc.assert(
      fc.property(factsArb, (organizations) => {
        const inactive = organizations.map((o) => ({ ...o, athlete_active_member: false }));
        expect(
          explainRelationship({
            viewer: { kind: 'user', user_id: 'usr_v', is_admin: false },
            athlete_id: 'usr_athlete',
            organizations: inactive,
          }).relationship,
        ).toBe('public');
      }),
      RUNS,
    );
  });
});
