import {
  buildRelationshipFacts,
  explainRelationship,
  resolveRelationship,
  resolveRelationships,
  viewerOf,
  type MembershipRecord,
  type OrganizationFacts,
  type OrganizationRecord,
  type RelationshipExplanation,
  type Viewer,
} from '@astral/lib/policy';

const ATHLETE = 'usr_athlete';
const user = (user_id: string, is_admin = false): Viewer => ({ kind: 'user', user_id, is_admin });

/**
 * An organization where the athlete is an active member and the viewer has no tie, unless
 * overridden; every tie there is accepted unless a case says otherwise (consent cases below).
 */
const org = (over: Partial<OrganizationFacts> = {}): OrganizationFacts => ({
  org_id: 'org_1',
  athlete_active_member: true,
  athlete_consent: 'accepted',
  athlete_assigned_coach_id: null,
  head_coach_user_id: 'usr_head',
  viewer_is_coach: false,
  viewer_coach_consent: 'accepted',
  viewer_active_member: false,
  viewer_member_consent: 'accepted',
  ...over,
});

describe('relationship from facts (privacy.md §2)', () => {
  test.each<[string, Viewer, OrganizationFacts[], RelationshipExplanation]>([
    ['the athlete themselves', user(ATHLETE), [], { relationship: 'self', rule: 'rel-self' }],
    ['the athlete, even as an admin', user(ATHLETE, true), [], { relationship: 'self', rule: 'rel-self' }],
    [
      'the head coach',
      user('usr_head'),
      [org({ viewer_is_coach: true })],
      { relationship: 'coach', rule: 'rel-head-coach', org_id: 'org_1' },
    ],
    [
      'the head coach, even if not in the coaches list',
      user('usr_head'),
      [org()],
      { relationship: 'coach', rule: 'rel-head-coach', org_id: 'org_1' },
    ],
    [
      'the assigned coach',
      user('usr_c2'),
      [org({ viewer_is_coach: true, athlete_assigned_coach_id: 'usr_c2' })],
      { relationship: 'coach', rule: 'rel-assigned-coach', org_id: 'org_1' },
    ],
    [
      'an unassigned co-coach is group',
      user('usr_c3'),
      [org({ viewer_is_coach: true, athlete_assigned_coach_id: 'usr_c2' })],
      { relationship: 'group', rule: 'rel-org-coach', org_id: 'org_1' },
    ],
    [
      'a fellow active member is group',
      user('usr_m'),
      [org({ viewer_active_member: true })],
      { relationship: 'group', rule: 'rel-org-member', org_id: 'org_1' },
    ],
    [
      'the most specific tie wins across organizations',
      user('usr_m'),
      [org({ org_id: 'org_a', viewer_active_member: true }), org({ org_id: 'org_b', head_coach_user_id: 'usr_m', viewer_is_coach: true })],
      { relationship: 'coach', rule: 'rel-head-coach', org_id: 'org_b' },
    ],
  ])('ALLOW %s', (_label, viewer, organizations, expected) => {
    const facts = { viewer, athlete_id: ATHLETE, organizations };
    expect(explainRelationship(facts)).toEqual(expected);
    expect(resolveRelationship(facts)).toBe(expected.relationship);
  });

  test.each<[string, Viewer, OrganizationFacts[], RelationshipExplanation]>([
    ['a platform admin gets no privilege', user('usr_admin', true), [], { relationship: 'public', rule: 'rel-admin-not-privileged' }],
    [
      'an admin who also shares an org is just group',
      user('usr_admin', true),
      [org({ viewer_active_member: true })],
      { relationship: 'group', rule: 'rel-org-member', org_id: 'org_1' },
    ],
    [
      'an app key is public',
      { kind: 'app', app_id: 'app_1' },
      [org({ viewer_is_coach: true, head_coach_user_id: 'app_1' })],
      { relationship: 'public', rule: 'rel-app-key' },
    ],
    ['a stranger is public', user('usr_x'), [], { relationship: 'public', rule: 'rel-signed-in' }],
    ['no credentials', { kind: 'anonymous' }, [org()], { relationship: 'anonymous', rule: 'rel-anonymous' }],
    [
      'head coach of an org where the athlete is inactive',
      user('usr_head'),
      [org({ athlete_active_member: false, viewer_is_coach: true })],
      { relationship: 'public', rule: 'rel-signed-in' },
    ],
    [
      'assigned coach where the athlete is inactive',
      user('usr_c2'),
      [org({ athlete_active_member: false, viewer_is_coach: true, athlete_assigned_coach_id: 'usr_c2' })],
      { relationship: 'public', rule: 'rel-signed-in' },
    ],
    [
      'fellow member where the athlete is inactive',
      user('usr_m'),
      [org({ athlete_active_member: false, viewer_active_member: true })],
      { relationship: 'public', rule: 'rel-signed-in' },
    ],
    [
      'an inactive viewer membership gives nothing',
      user('usr_m'),
      [org({ viewer_active_member: false })],
      { relationship: 'public', rule: 'rel-signed-in' },
    ],
    [
      'a stale assignment to an ex-coach gives nothing',
      user('usr_c2'),
      [org({ athlete_assigned_coach_id: 'usr_c2', viewer_is_coach: false })],
      { relationship: 'public', rule: 'rel-signed-in' },
    ],
    [
      'a stale assignment of an ex-coach who is still a member is group',
      user('usr_c2'),
      [org({ athlete_assigned_coach_id: 'usr_c2', viewer_active_member: true })],
      { relationship: 'group', rule: 'rel-org-member', org_id: 'org_1' },
    ],
  ])('DENY (no closer tie) %s', (_label, viewer, organizations, expected) => {
    expect(explainRelationship({ viewer, athlete_id: ATHLETE, organizations })).toEqual(expected);
  });

  test('viewerOf keeps only what the policy needs', () => {
    expect(viewerOf(undefined)).toEqual({ kind: 'anonymous' });
    expect(viewerOf({ kind: 'user', user_id: 'usr_a', is_admin: true })).toEqual({ kind: 'user', user_id: 'usr_a', is_admin: true });
    const app: { kind: 'app'; app_id: string; org_id: string } = { kind: 'app', app_id: 'app_1', org_id: 'org_1' };
    expect(viewerOf(app)).toEqual({ kind: 'app', app_id: 'app_1' });
  });
});

describe('facts from plain records', () => {
  const organizations: OrganizationRecord[] = [
    {
      org_id: 'org_1',
      head_coach_user_id: 'usr_head',
      head_coach_consent: 'accepted',
      coaches: [
        { user_id: 'usr_c2', consent: 'accepted' },
        { user_id: 'usr_c3', consent: 'accepted' },
      ],
    },
    { org_id: 'org_2', head_coach_user_id: 'usr_head2', head_coach_consent: 'accepted', coaches: [] },
  ];
  const memberships: MembershipRecord[] = [
    { org_id: 'org_1', user_id: 'usr_a1', status: 'active', consent: 'accepted', assigned_coach_id: 'usr_c2' },
    { org_id: 'org_1', user_id: 'usr_a2', status: 'inactive', consent: 'accepted', assigned_coach_id: 'usr_c2' },
    { org_id: 'org_1', user_id: 'usr_a3', status: 'active', consent: 'accepted' },
    { org_id: 'org_2', user_id: 'usr_a3', status: 'active', consent: 'accepted' },
    { org_id: 'org_1', user_id: 'usr_m', status: 'active', consent: 'accepted' },
    { org_id: 'org_2', user_id: 'usr_m', status: 'suspended', consent: 'accepted' },
    { org_id: 'org_2', user_id: 'usr_a4', status: 'active', consent: 'accepted' },
  ];
  const athletes = ['usr_a1', 'usr_a2', 'usr_a3', 'usr_a4', 'usr_none'];

  test.each<[string, Viewer, Record<string, string>]>([
    ['assigned coach', user('usr_c2'), { usr_a1: 'coach', usr_a2: 'public', usr_a3: 'group', usr_a4: 'public', usr_none: 'public' }],
    ['unassigned co-coach', user('usr_c3'), { usr_a1: 'group', usr_a2: 'public', usr_a3: 'group', usr_a4: 'public', usr_none: 'public' }],
    ['head coach of org_1', user('usr_head'), { usr_a1: 'coach', usr_a2: 'public', usr_a3: 'coach', usr_a4: 'public', usr_none: 'public' }],
    [
      'head coach of org_2',
      user('usr_head2'),
      { usr_a1: 'public', usr_a2: 'public', usr_a3: 'coach', usr_a4: 'coach', usr_none: 'public' },
    ],
    [
      'member active in org_1, suspended in org_2',
      user('usr_m'),
      { usr_a1: 'group', usr_a2: 'public', usr_a3: 'group', usr_a4: 'public', usr_none: 'public' },
    ],
    ['admin', user('usr_admin', true), { usr_a1: 'public', usr_a2: 'public', usr_a3: 'public', usr_a4: 'public', usr_none: 'public' }],
    [
      'app key',
      { kind: 'app', app_id: 'app_1' },
      { usr_a1: 'public', usr_a2: 'public', usr_a3: 'public', usr_a4: 'public', usr_none: 'public' },
    ],
    [
      'no credentials',
      { kind: 'anonymous' },
      { usr_a1: 'anonymous', usr_a2: 'anonymous', usr_a3: 'anonymous', usr_a4: 'anonymous', usr_none: 'anonymous' },
    ],
  ])('%s', (_label, viewer, expected) => {
    expect(Object.fromEntries(resolveRelationships({ viewer, organizations, memberships }, athletes))).toEqual(expected);
  });

  test('one athlete: facts list every organization with the derived booleans', () => {
    expect(buildRelationshipFacts({ viewer: user('usr_c2'), athlete_id: 'usr_a1', organizations, memberships })).toEqual({
      viewer: user('usr_c2'),
      athlete_id: 'usr_a1',
      organizations: [
        {
          org_id: 'org_1',
          athlete_active_member: true,
          athlete_consent: 'accepted',
          athlete_assigned_coach_id: 'usr_c2',
          head_coach_user_id: 'usr_head',
          viewer_is_coach: true,
          viewer_coach_consent: 'accepted',
          viewer_active_member: false,
          viewer_member_consent: 'pending',
        },
        {
          org_id: 'org_2',
          athlete_active_member: false,
          athlete_consent: 'pending',
          athlete_assigned_coach_id: null,
          head_coach_user_id: 'usr_head2',
          viewer_is_coach: false,
          viewer_coach_consent: 'pending',
          viewer_active_member: false,
          viewer_member_consent: 'pending',
        },
      ],
    });
  });

  test('the athlete viewing themselves is self', () => {
    expect(resolveRelationships({ viewer: user('usr_a1'), organizations, memberships }, ['usr_a1']).get('usr_a1')).toBe('self');
  });
});

/**
 * Consent (privacy.md §8), exhaustively for one organization: every combination of the athlete's
 * membership (status, answer, assignment), the viewer's place (head coach, coach, member, with each
 * answer), against an oracle written from the spec's text: a tie counts only when the user who holds
 * it accepted it, in both directions.
 */
describe('consent: only accepted ties relate anyone (exhaustive, one organization)', () => {
  const CONSENTS = ['pending', 'accepted', 'declined'] as const;
  const V = 'usr_v';

  function oracle(f: OrganizationFacts): 'coach' | 'group' | 'public' {
    const athleteIn = f.athlete_active_member && f.athlete_consent === 'accepted';
    if (!athleteIn) return 'public';
    const viewerCoaches = (f.viewer_is_coach || f.head_coach_user_id === V) && f.viewer_coach_consent === 'accepted';
    const viewerMember = f.viewer_active_member && f.viewer_member_consent === 'accepted';
    if (viewerCoaches && (f.head_coach_user_id === V || f.athlete_assigned_coach_id === V)) return 'coach';
    if (viewerCoaches || viewerMember) return 'group';
    return 'public';
  }

  const cases: OrganizationFacts[] = [];
  for (const athlete_active_member of [true, false])
    for (const athlete_consent of CONSENTS)
      for (const athlete_assigned_coach_id of [V, 'usr_other', null])
        for (const head_coach_user_id of [V, 'usr_head'])
          for (const viewer_is_coach of [true, false])
            for (const viewer_coach_consent of CONSENTS)
              for (const viewer_active_member of [true, false])
                for (const viewer_member_consent of CONSENTS)
                  cases.push({
                    org_id: 'org_1',
                    athlete_active_member,
                    athlete_consent,
                    athlete_assigned_coach_id,
                    head_coach_user_id,
                    viewer_is_coach,
                    viewer_coach_consent,
                    viewer_active_member,
                    viewer_member_consent,
                  });

  test(`all ${2 * 3 * 3 * 2 * 2 * 3 * 2 * 3} combinations agree with the oracle`, () => {
    expect(cases).toHaveLength(1296);
    const disagreements = cases.filter(
      (f) => resolveRelationship({ viewer: user(V), athlete_id: ATHLETE, organizations: [f] }) !== oracle(f),
    );
    expect(disagreements).toEqual([]);
  });

  test('a pending or declined athlete membership never yields coach or group, whatever the viewer holds', () => {
    const notAccepted = cases.filter((f) => f.athlete_consent !== 'accepted');
    expect(notAccepted.length).toBeGreaterThan(0);
    for (const f of notAccepted) expect(resolveRelationship({ viewer: user(V), athlete_id: ATHLETE, organizations: [f] })).toBe('public');
  });

  test('a viewer whose own ties are all unanswered or declined is neither coach nor member', () => {
    const viewerUnanswered = cases.filter((f) => f.viewer_coach_consent !== 'accepted' && f.viewer_member_consent !== 'accepted');
    for (const f of viewerUnanswered)
      expect(resolveRelationship({ viewer: user(V), athlete_id: ATHLETE, organizations: [f] })).toBe('public');
  });

  test('from records: a pending head coach, coach or member relates to nobody until they accept', () => {
    const base = {
      organizations: [
        {
          org_id: 'org_1',
          head_coach_user_id: 'usr_head',
          head_coach_consent: 'pending' as const,
          coaches: [{ user_id: 'usr_c', consent: 'pending' as const }],
        },
      ],
      memberships: [
        { org_id: 'org_1', user_id: 'usr_a', status: 'active', consent: 'accepted' as const, assigned_coach_id: 'usr_c' },
        { org_id: 'org_1', user_id: 'usr_m', status: 'active', consent: 'pending' as const },
        { org_id: 'org_1', user_id: 'usr_p', status: 'active', consent: 'pending' as const },
      ],
    };
    for (const viewer of ['usr_head', 'usr_c', 'usr_m']) {
      expect([viewer, resolveRelationships({ viewer: user(viewer), ...base }, ['usr_a']).get('usr_a')]).toEqual([viewer, 'public']);
    }
    // The pending athlete usr_p is public even to an accepted head coach.
    const accepted = { ...base, organizations: [{ ...base.organizations[0]!, head_coach_consent: 'accepted' as const }] };
    expect(resolveRelationships({ viewer: user('usr_head'), ...accepted }, ['usr_a', 'usr_p'])).toEqual(
      new Map([
        ['usr_a', 'coach'],
        ['usr_p', 'public'],
      ]),
    );
  });
});
