import { resolveRelationships, type Relationship } from '@astral/lib/policy';
import { coachingNeedsViewerTies, factsFromProfiles } from '../../../lib/relationships/profile-facts';
import {
  acceptedInvitation,
  memberTieAttributes,
  pendingInvitation,
  profileTieAttribute,
  profileTiesOf,
} from '../../../lib/repositories/profile-ties';
import { toStoredProfile } from '../../../lib/repositories/profile-batch';

const V = 'usr_viewer';
const A = 'usr_athlete';
const viewer = { kind: 'user', user_id: V, is_admin: false } as const;
// Stored profile items, typed as the profile batch hands them out.
const athlete = (ties: Record<string, unknown>) =>
  toStoredProfile({ pk: `USER#${A}`, sk: 'PROFILE', entity: 'user', user_id: A, display_name: 'A', ...ties });
const viewerProfile = (ties: Record<string, unknown>) =>
  toStoredProfile({ pk: `USER#${V}`, sk: 'PROFILE', entity: 'user', user_id: V, display_name: 'V', ...ties });
const AT = '2026-01-01T00:00:00Z';
const memberTie = (orgId: string, status: string, head: string, assigned?: string, consent: 'accepted' | 'pending' = 'accepted') =>
  memberTieAttributes(orgId, {
    ...(consent === 'accepted' ? acceptedInvitation(head, AT) : pendingInvitation(head, AT)),
    status,
    head_coach_user_id: head,
    ...(assigned ? { assigned_coach_id: assigned } : {}),
  });
/** The viewer's coach tie (accepted unless said otherwise), as CoachRepository and the answer write it. */
const coachTie = (orgId: string, consent: 'accepted' | 'pending' = 'accepted') => ({
  [profileTieAttribute.coach(orgId)]: {
    ...(consent === 'accepted' ? acceptedInvitation('usr_h', AT) : pendingInvitation('usr_h', AT)),
    role: 'assistant_coach',
  },
});
const headTie = (orgId: string, consent: 'accepted' | 'pending' = 'accepted') => ({
  [profileTieAttribute.head(orgId)]: consent === 'accepted' ? acceptedInvitation('app_1', AT) : pendingInvitation('app_1', AT),
});

function relationshipOf(input: Parameters<typeof factsFromProfiles>[0]): Relationship | undefined {
  return resolveRelationships(factsFromProfiles(input), [A]).get(A);
}

describe('relationship facts from the ties on profiles', () => {
  it.each<[string, Parameters<typeof factsFromProfiles>[0], Relationship]>([
    [
      'head coach of an organization where the athlete is active, viewer profile not read: not coach (their acceptance is unknown, fail closed)',
      { viewer, athleteProfiles: [athlete(memberTie('org_p', 'active', V))] },
      'public',
    ],
    [
      'head coach who accepted, where the athlete is active and accepted: coach',
      { viewer, viewerProfile: viewerProfile(headTie('org_p')), athleteProfiles: [athlete(memberTie('org_p', 'active', V))] },
      'coach',
    ],
    [
      'head coach who has not accepted: public',
      { viewer, viewerProfile: viewerProfile(headTie('org_p', 'pending')), athleteProfiles: [athlete(memberTie('org_p', 'active', V))] },
      'public',
    ],
    [
      'accepted head coach, athlete still pending: public',
      {
        viewer,
        viewerProfile: viewerProfile(headTie('org_p')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', V, undefined, 'pending'))],
      },
      'public',
    ],
    [
      'assigned coach whose coach tie is pending: public',
      {
        viewer,
        viewerProfile: viewerProfile(coachTie('org_p', 'pending')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))],
      },
      'public',
    ],
    [
      'fellow member whose own membership is pending: public',
      {
        viewer,
        viewerProfile: viewerProfile(memberTie('org_p', 'active', 'usr_h', undefined, 'pending')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))],
      },
      'public',
    ],
    [
      'head coach where the athlete is suspended: public',
      { viewer, viewerProfile: viewerProfile(headTie('org_p')), athleteProfiles: [athlete(memberTie('org_p', 'suspended', V))] },
      'public',
    ],
    [
      'assigned coach, but the viewer profile was not read: not coach (fail closed)',
      { viewer, athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] },
      'public',
    ],
    [
      'assigned coach, and the viewer profile says they still coach there: coach',
      { viewer, viewerProfile: viewerProfile(coachTie('org_p')), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] },
      'coach',
    ],
    [
      'assigned coach whose coach tie ended (stale assignment): group through the coach tie is gone too',
      { viewer, viewerProfile: viewerProfile({}), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] },
      'public',
    ],
    [
      'coach (not assigned) of the athlete organization: group',
      { viewer, viewerProfile: viewerProfile(coachTie('org_p')), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))] },
      'group',
    ],
    [
      'fellow active member: group',
      {
        viewer,
        viewerProfile: viewerProfile(memberTie('org_p', 'active', 'usr_h')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))],
      },
      'group',
    ],
    [
      'fellow member whose own membership is inactive: public',
      {
        viewer,
        viewerProfile: viewerProfile(memberTie('org_p', 'inactive', 'usr_h')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))],
      },
      'public',
    ],
    [
      'ties in different organizations only: public',
      {
        viewer,
        viewerProfile: viewerProfile(memberTie('org_q', 'active', 'usr_h')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))],
      },
      'public',
    ],
    [
      'an organization read from its own item wins over the ties (the viewer no longer coaches it)',
      {
        viewer,
        organizations: [{ org_id: 'org_p', head_coach_user_id: 'usr_h', head_coach_consent: 'accepted', coaches: [] }],
        viewerProfile: viewerProfile(coachTie('org_p')),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))],
      },
      'public',
    ],
    [
      'a closer tie elsewhere beats group here',
      {
        viewer,
        organizations: [
          { org_id: 'org_o', head_coach_user_id: 'usr_h', head_coach_consent: 'accepted', coaches: [{ user_id: V, consent: 'accepted' }] },
        ],
        memberships: [{ org_id: 'org_o', user_id: A, status: 'active', consent: 'accepted', assigned_coach_id: null }],
        viewerProfile: viewerProfile({ ...coachTie('org_o'), ...headTie('org_p') }),
        athleteProfiles: [athlete({ ...memberTie('org_o', 'active', 'usr_h'), ...memberTie('org_p', 'active', V) })],
      },
      'coach',
    ],
  ])('%s', (_name, input, expected) => {
    expect(relationshipOf(input)).toBe(expected);
  });

  it('app keys and anonymous viewers get no tie from profiles', () => {
    const athleteProfiles = [athlete(memberTie('org_p', 'active', V))];
    expect(relationshipOf({ viewer: { kind: 'app', app_id: 'app_1' }, athleteProfiles })).toBe('public');
    expect(relationshipOf({ viewer: { kind: 'anonymous' }, athleteProfiles })).toBe('anonymous');
  });

  it('parses only well-formed tie attributes', () => {
    const ties = profileTiesOf({
      ...memberTie('org_p', 'active', 'usr_h', 'usr_c'),
      ...coachTie('org_q'),
      ...headTie('org_r', 'pending'),
      'tie#org_s#member': { status: 'active' },
      'tie#org_t#coach': 'a bare role, not a tie',
      'tie#bad': true,
      'tot#week#2026-W01#count': 3,
    });
    expect([...ties.memberships.keys()]).toEqual(['org_p']);
    expect(ties.memberships.get('org_p')).toEqual({
      ...acceptedInvitation('usr_h', AT),
      status: 'active',
      head_coach_user_id: 'usr_h',
      assigned_coach_id: 'usr_c',
    });
    expect([...ties.coaching.keys()]).toEqual(['org_q']);
    expect(ties.coaching.get('org_q')).toMatchObject({ consent: 'accepted', role: 'assistant_coach' });
    expect([...ties.heading.entries()]).toEqual([['org_r', pendingInvitation('app_1', AT)]]);
  });

  it('reads a tie with a missing or unknown consent as pending (fail closed)', () => {
    const ties = profileTiesOf({
      'tie#org_p#member': { status: 'active', head_coach_user_id: 'usr_h', consent: 'yes' },
      'tie#org_q#head': {},
    });
    expect(ties.memberships.get('org_p')?.consent).toBe('pending');
    expect(ties.heading.get('org_q')?.consent).toBe('pending');
  });

  it('asks for the viewer ties only when an unread organization names them as assigned or head coach of an accepted member', () => {
    const profiles = [athlete(memberTie('org_p', 'active', 'usr_h', V))];
    expect(coachingNeedsViewerTies(V, profiles, new Set(['org_o']))).toBe(true);
    expect(coachingNeedsViewerTies(V, profiles, new Set(['org_p']))).toBe(false);
    expect(coachingNeedsViewerTies('usr_other', profiles, new Set())).toBe(false);
    expect(coachingNeedsViewerTies('usr_h', profiles, new Set())).toBe(true);
    expect(coachingNeedsViewerTies(V, [athlete(memberTie('org_p', 'inactive', 'usr_h', V))], new Set())).toBe(false);
    expect(coachingNeedsViewerTies(V, [athlete(memberTie('org_p', 'active', 'usr_h', V, 'pending'))], new Set())).toBe(false);
  });
});
