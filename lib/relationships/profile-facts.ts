import type { Consent, FactsInput, MembershipRecord, OrganizationRecord, Viewer } from '../policy';
import type { StoredProfile } from '../repositories/profile-batch';

export interface ProfileFactsInput {
  readonly viewer: Viewer;
  /**
   * Organizations read from their own items (the one a request is about): authoritative for head
   * coach and coaches, so ties never override them.
   */
  readonly organizations?: readonly OrganizationRecord[];
  /** Membership items read directly (a roster page); the profiles' ties add the rest. */
  readonly memberships?: readonly MembershipRecord[];
  /** The viewer's own profile, when read: their memberships, coach roles and head-coach ties everywhere. */
  readonly viewerProfile?: StoredProfile;
  /** The athletes' profiles: their memberships everywhere, with assignment and head coach. */
  readonly athleteProfiles: Iterable<StoredProfile>;
}

interface OrganizationDraft {
  head_coach_user_id: string;
  /** Known only from the viewer's own head tie; an athlete's tie cannot vouch for the head coach's answer. */
  head_coach_consent: Consent;
  readonly coaches: Map<string, Consent>;
}

/**
 * Relationship facts from the profiles a request read anyway (lib/repositories/profile-ties.ts):
 * each athlete's membership ties name, per organization, their status, assigned coach and head coach;
 * the viewer's ties name where they are a member, a coach or the head coach. An organization known
 * only through an athlete's tie lists no coaches, so an assignment there grants `coach` only when the
 * viewer's own profile (read) confirms they still coach it: fail closed, never a stale grant. The
 * same holds for the head coach's consent (§8): only the viewer's own head tie says they accepted.
 */
export function factsFromProfiles(input: ProfileFactsInput): FactsInput {
  const viewerId = input.viewer.kind === 'user' ? input.viewer.user_id : undefined;
  const authoritative = new Set((input.organizations ?? []).map((o) => o.org_id));
  const drafts = new Map<string, OrganizationDraft>();
  const draft = (orgId: string, headCoachId: string): OrganizationDraft | undefined => {
    if (authoritative.has(orgId)) return undefined;
    let entry = drafts.get(orgId);
    if (!entry) drafts.set(orgId, (entry = { head_coach_user_id: headCoachId, head_coach_consent: 'pending', coaches: new Map() }));
    return entry;
  };
  const memberships: MembershipRecord[] = [...(input.memberships ?? [])];

  for (const profile of input.athleteProfiles) {
    const userId = profile.user.user_id;
    for (const [orgId, tie] of profile.ties.memberships) {
      memberships.push({
        org_id: orgId,
        user_id: userId,
        status: tie.status,
        consent: tie.consent,
        assigned_coach_id: tie.assigned_coach_id ?? null,
      });
      draft(orgId, tie.head_coach_user_id);
    }
  }
  if (viewerId !== undefined && input.viewerProfile) {
    const ties = input.viewerProfile.ties;
    for (const [orgId, tie] of ties.memberships) {
      memberships.push({
        org_id: orgId,
        user_id: viewerId,
        status: tie.status,
        consent: tie.consent,
        assigned_coach_id: tie.assigned_coach_id ?? null,
      });
      draft(orgId, tie.head_coach_user_id);
    }
    for (const [orgId, tie] of ties.heading) {
      const entry = draft(orgId, viewerId);
      if (entry) {
        entry.head_coach_user_id = viewerId;
        entry.head_coach_consent = tie.consent;
      }
    }
    for (const [orgId, tie] of ties.coaching) draft(orgId, '')?.coaches.set(viewerId, tie.consent);
  }

  const organizations: OrganizationRecord[] = [...(input.organizations ?? [])];
  for (const [orgId, entry] of drafts) {
    organizations.push({
      org_id: orgId,
      head_coach_user_id: entry.head_coach_user_id,
      head_coach_consent: entry.head_coach_consent,
      coaches: [...entry.coaches].map(([user_id, consent]) => ({ user_id, consent })),
    });
  }
  return { viewer: input.viewer, organizations, memberships };
}

/**
 * Whether an athlete's accepted tie names the viewer as assigned coach or head coach in an
 * organization the request did not read: only the viewer's own profile can then confirm they still
 * coach it and accepted doing so (see factsFromProfiles).
 */
export function coachingNeedsViewerTies(
  viewerId: string,
  athleteProfiles: Iterable<StoredProfile>,
  readOrganizations: ReadonlySet<string>,
): boolean {
  for (const profile of athleteProfiles) {
    for (const [orgId, tie] of profile.ties.memberships) {
      if (readOrganizations.has(orgId) || tie.status !== 'active' || tie.consent !== 'accepted') continue;
      if (tie.assigned_coach_id === viewerId || tie.head_coach_user_id === viewerId) return true;
    }
  }
  return false;
}

/** The profiles of these users that were found, in order (a missing profile is simply absent). */
export function profilesFor<P>(userIds: readonly string[], profiles: ReadonlyMap<string, P>): P[] {
  const out: P[] = [];
  for (const id of userIds) {
    const profile = profiles.get(id);
    if (profile) out.push(profile);
  }
  return out;
}
