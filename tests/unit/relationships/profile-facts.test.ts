import { resolveRelationships, type Relationship } from '@astral/lib/policy';
import { assignmentNeedsViewerTies, factsFromProfiles } from '../../../lib/relationships/profile-facts';
import { memberTieAttributes, profileTieAttribute, profileTiesOf } from '../../../lib/repositories/profile-ties';

const V = 'usr_viewer';
const A = 'usr_athlete';
const viewer = { kind: 'user', user_id: V, is_admin: false } as const;
const athlete = (ties: Record<string, unknown>) => ({ pk: `USER#${A}`, sk: 'PROFILE', entity: 'user', user_id: A, display_name: 'A', ...ties });
const viewerProfile = (ties: Record<string, unknown>) => ({ pk: `USER#${V}`, sk: 'PROFILE', entity: 'user', user_id: V, display_name: 'V', ...ties });
const memberTie = (orgId: string, status: string, head: string, assigned?: string) =>
  memberTieAttributes(orgId, { status, head_coach_user_id: head, ...(assigned ? { assigned_coach_id: assigned } : {}) });

function relationshipOf(input: Parameters<typeof factsFromProfiles>[0]): Relationship | undefined {
  return resolveRelationships(factsFromProfiles(input), [A]).get(A);
}

describe('relationship facts from the ties on profiles', () => {
  it.each<[string, Parameters<typeof factsFromProfiles>[0], Relationship]>([
    ['head coach of an organization where the athlete is active: coach, from the athlete tie alone', { viewer, athleteProfiles: [athlete(memberTie('org_p', 'active', V))] }, 'coach'],
    ['head coach where the athlete is suspended: public', { viewer, athleteProfiles: [athlete(memberTie('org_p', 'suspended', V))] }, 'public'],
    ['assigned coach, but the viewer profile was not read: not coach (fail closed)', { viewer, athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] }, 'public'],
    [
      'assigned coach, and the viewer profile says they still coach there: coach',
      { viewer, viewerProfile: viewerProfile({ [profileTieAttribute.coach('org_p')]: 'assistant_coach' }), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] },
      'coach',
    ],
    [
      'assigned coach whose coach tie ended (stale assignment): group through the coach tie is gone too',
      { viewer, viewerProfile: viewerProfile({}), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))] },
      'public',
    ],
    [
      'coach (not assigned) of the athlete organization: group',
      { viewer, viewerProfile: viewerProfile({ [profileTieAttribute.coach('org_p')]: 'assistant_coach' }), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))] },
      'group',
    ],
    [
      'fellow active member: group',
      { viewer, viewerProfile: viewerProfile(memberTie('org_p', 'active', 'usr_h')), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))] },
      'group',
    ],
    [
      'fellow member whose own membership is inactive: public',
      { viewer, viewerProfile: viewerProfile(memberTie('org_p', 'inactive', 'usr_h')), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))] },
      'public',
    ],
    [
      'ties in different organizations only: public',
      { viewer, viewerProfile: viewerProfile(memberTie('org_q', 'active', 'usr_h')), athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h'))] },
      'public',
    ],
    [
      'an organization read from its own item wins over the ties (the viewer no longer coaches it)',
      {
        viewer,
        organizations: [{ org_id: 'org_p', head_coach_user_id: 'usr_h', coaches: [] }],
        viewerProfile: viewerProfile({ [profileTieAttribute.coach('org_p')]: 'assistant_coach' }),
        athleteProfiles: [athlete(memberTie('org_p', 'active', 'usr_h', V))],
      },
      'public',
    ],
    [
      'a closer tie elsewhere beats group here',
      {
        viewer,
        organizations: [{ org_id: 'org_o', head_coach_user_id: 'usr_h', coaches: [{ user_id: V }] }],
        memberships: [{ org_id: 'org_o', user_id: A, status: 'active', assigned_coach_id: null }],
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
      [profileTieAttribute.coach('org_q')]: 'assistant_coach',
      [profileTieAttribute.head('org_r')]: true,
      'tie#org_s#member': { status: 'active' },
      'tie#bad': true,
      'tot#week#2026-W01#count': 3,
    });
    expect([...ties.memberships.keys()]).toEqual(['org_p']);
    expect(ties.memberships.get('org_p')).toEqual({ status: 'active', head_coach_user_id: 'usr_h', assigned_coach_id: 'usr_c' });
    expect([...ties.coachOf]).toEqual(['org_q']);
    expect([...ties.headOf]).toEqual(['org_r']);
  });

  it('asks for the viewer ties only when an unread organization names them as assigned coach', () => {
    const profiles = [athlete(memberTie('org_p', 'active', 'usr_h', V))];
    expect(assignmentNeedsViewerTies(V, profiles, new Set(['org_o']))).toBe(true);
    expect(assignmentNeedsViewerTies(V, profiles, new Set(['org_p']))).toBe(false);
    expect(assignmentNeedsViewerTies('usr_other', profiles, new Set())).toBe(false);
    expect(assignmentNeedsViewerTies(V, [athlete(memberTie('org_p', 'inactive', 'usr_h', V))], new Set())).toBe(false);
  });
});
