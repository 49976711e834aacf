/**
 * Builds relationship facts from plain records, so an endpoint loads them with a bounded number of
 * batched reads and hands them in; lib/policy itself does no I/O. Where the records come from (the
 * ties mirrored on profiles, ADR 0006; the organization item a request read) is
 * lib/relationships' business. Every record carries the consent of the user who holds the tie
 * (§8); a record without one cannot be built (the types require it), so nothing defaults to open.
 */
import type { Consent } from './consent';
import type { RelationshipFacts, OrganizationFacts, Viewer } from './relationship';
import { resolveRelationship, type Relationship } from './relationship';

export interface MembershipRecord {
  readonly org_id: string;
  readonly user_id: string;
  /** `active`, `inactive` or `suspended`; only an `active` membership, accepted by its member, ties anyone to anyone. */
  readonly status: string;
  /** The member's own answer to this membership (ADR 0007); anything but `accepted` ties nobody. */
  readonly consent: Consent;
  readonly assigned_coach_id?: string | null;
}

/**
 * An organization's coaching ties: from its own item when the request read it, otherwise drafted by
 * lib/relationships from profile ties (ADR 0006), in which case `coaches` and the head coach's consent
 * come only from the viewer's own ties (fail closed).
 */
export interface OrganizationRecord {
  readonly org_id: string;
  readonly head_coach_user_id: string;
  /** The head coach's answer to their designation. */
  readonly head_coach_consent: Consent;
  readonly coaches: readonly { readonly user_id: string; readonly consent: Consent }[];
}

export interface FactsInput {
  readonly viewer: Viewer;
  readonly organizations: readonly OrganizationRecord[];
  /**
   * Memberships of the viewer and of the athletes, in any order; others are ignored. One pair may come
   * twice (a roster page's member item and the same tie mirrored on the profile): see indexMemberships.
   */
  readonly memberships: readonly MembershipRecord[];
}

const membershipKey = (orgId: string, userId: string): string => `${orgId}\u0000${userId}`;

function indexMemberships(memberships: readonly MembershipRecord[]): Map<string, MembershipRecord> {
  const index = new Map<string, MembershipRecord>();
  for (const m of memberships) {
    const key = membershipKey(m.org_id, m.user_id);
    // An active, accepted row wins over a leftover one for the same pair (a roster page read a
    // moment before the profile tie that says the same).
    if (!index.has(key) || (m.status === 'active' && m.consent === 'accepted')) index.set(key, m);
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
  const isHead = viewerId !== undefined && org.head_coach_user_id === viewerId;
  const coachEntry = viewerId === undefined ? undefined : org.coaches.find((c) => c.user_id === viewerId);
  return {
    org_id: org.org_id,
    athlete_active_member: athlete?.status === 'active',
    athlete_consent: athlete?.consent ?? 'pending',
    athlete_assigned_coach_id: athlete?.assigned_coach_id ?? null,
    head_coach_user_id: org.head_coach_user_id,
    viewer_is_coach: isHead || coachEntry !== undefined,
    // The head coach's designation is their coaching tie; any other coach's is their list entry.
    viewer_coach_consent: isHead ? org.head_coach_consent : (coachEntry?.consent ?? 'pending'),
    viewer_active_member: viewerMembership?.status === 'active',
    viewer_member_consent: viewerMembership?.consent ?? 'pending',
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
