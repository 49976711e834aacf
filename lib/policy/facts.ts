/**
 * Builds relationship facts from plain records, so an endpoint loads them with a bounded number of
 * batched reads and hands them in; lib/policy itself does no I/O.
 *
 * A sufficient load for one viewer and N athletes (a profile, a feed page, a roster, a leaderboard):
 *   1. the viewer's own memberships, and the organizations where the viewer coaches (one query each);
 *   2. those organizations (one BatchGet), for `head_coach_user_id` and `coaches`;
 *   3. the athletes' memberships in those organizations (BatchGet of N × K membership items).
 * Coach and group both need a tie of the viewer's to the organization, so organizations the viewer has
 * no tie to cannot change the answer and need not be loaded.
 */
import type { RelationshipFacts, OrganizationFacts, Viewer } from './relationship';
import { resolveRelationship, type Relationship } from './relationship';

export interface MembershipRecord {
  readonly org_id: string;
  readonly user_id: string;
  /** `active`, `inactive` or `suspended`; only `active` ties anyone to anyone. */
  readonly status: string;
  readonly assigned_coach_id?: string | null;
}

export interface OrganizationRecord {
  readonly org_id: string;
  readonly head_coach_user_id: string;
  readonly coaches: readonly { readonly user_id: string }[];
}

export interface FactsInput {
  readonly viewer: Viewer;
  readonly organizations: readonly OrganizationRecord[];
  /** Memberships of the viewer and of the athletes, in any order; others are ignored. */
  readonly memberships: readonly MembershipRecord[];
}

const membershipKey = (orgId: string, userId: string): string => `${orgId}\u0000${userId}`;

function indexMemberships(memberships: readonly MembershipRecord[]): Map<string, MembershipRecord> {
  const index = new Map<string, MembershipRecord>();
  for (const m of memberships) {
    const key = membershipKey(m.org_id, m.user_id);
    // An active row wins over a leftover inactive one for the same pair.
    if (!index.has(key) || m.status === 'active') index.set(key, m);
  }
  return index;
}

function organizationFacts(
  org: OrganizationRecord,
  viewerId: string | undefined,
  athleteId: string,
  index: Map<string, MembershipRecord>,
): OrganizationFacts {
  const athlete = index.get(membershipKey(org.org_id, athleteId));
  const viewerMembership = viewerId === undefined ? undefined : index.get(membershipKey(org.org_id, viewerId));
  const viewerIsCoach =
    viewerId !== undefined && (org.head_coach_user_id === viewerId || org.coaches.some((c) => c.user_id === viewerId));
  return {
    org_id: org.org_id,
    athlete_active_member: athlete?.status === 'active',
    athlete_assigned_coach_id: athlete?.assigned_coach_id ?? null,
    head_coach_user_id: org.head_coach_user_id,
    viewer_is_coach: viewerIsCoach,
    viewer_active_member: viewerMembership?.status === 'active',
  };
}

/** Facts for many athletes seen by one viewer; memberships are indexed once. */
export function buildRelationshipFactsForAthletes(input: FactsInput, athleteIds: readonly string[]): Map<string, RelationshipFacts> {
  const index = indexMemberships(input.memberships);
  const viewerId = input.viewer.kind === 'user' ? input.viewer.user_id : undefined;
  const out = new Map<string, RelationshipFacts>();
  for (const athleteId of athleteIds) {
    out.set(athleteId, {
      viewer: input.viewer,
      athlete_id: athleteId,
      organizations: input.organizations.map((org) => organizationFacts(org, viewerId, athleteId, index)),
    });
  }
  return out;
}

export function buildRelationshipFacts(input: FactsInput & { readonly athlete_id: string }): RelationshipFacts {
  const facts = buildRelationshipFactsForAthletes(input, [input.athlete_id]).get(input.athlete_id);
  // The map always holds the one id asked for; the fallback only satisfies the type checker.
  return facts ?? { viewer: input.viewer, athlete_id: input.athlete_id, organizations: [] };
}

/** Relationship of one viewer to each athlete: the usual call for lists. */
export function resolveRelationships(input: FactsInput, athleteIds: readonly string[]): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  for (const [athleteId, facts] of buildRelationshipFactsForAthletes(input, athleteIds)) out.set(athleteId, resolveRelationship(facts));
  return out;
}
