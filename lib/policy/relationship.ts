/**
 * Who is looking (spec/privacy.md §2): one relationship of viewer V to athlete A, derived from facts
 * the caller loaded, never from roles. Platform admins and app keys get no privilege here.
 */

import { isAccepted, type Consent } from './consent';

/** Most specific first: the first one that holds wins. */
export const RELATIONSHIPS = ['self', 'coach', 'group', 'public', 'anonymous'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export type Viewer =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly user_id: string; readonly is_admin: boolean }
  | { readonly kind: 'app'; readonly app_id: string };

/**
 * What is known about one organization that the athlete or the viewer belongs to. Each tie comes
 * with the consent of the user who holds it (§8): a tie counts only once that user accepted it.
 */
export interface OrganizationFacts {
  readonly org_id: string;
  readonly athlete_active_member: boolean;
  /** The athlete's answer to their membership here. */
  readonly athlete_consent: Consent;
  readonly athlete_assigned_coach_id?: string | null;
  readonly head_coach_user_id: string;
  /** Head coach or any entry of the organization's coaches list, whatever the role. */
  readonly viewer_is_coach: boolean;
  /** The viewer's answer to their coaching tie here (the head-coach tie for the head coach). */
  readonly viewer_coach_consent: Consent;
  readonly viewer_active_member: boolean;
  /** The viewer's answer to their own membership here. */
  readonly viewer_member_consent: Consent;
}

export interface RelationshipFacts {
  readonly viewer: Viewer;
  readonly athlete_id: string;
  /**
   * Every organization where the athlete is an active member and the viewer is a member or a coach.
   * Leaving one out can change the answer either way (a coach whose athlete closed coach sharing sees
   * less than a group member), so callers pass all of them; extra organizations are harmless.
   */
  readonly organizations: readonly OrganizationFacts[];
}

export type RelationshipRuleId =
  | 'rel-self'
  | 'rel-head-coach'
  | 'rel-assigned-coach'
  | 'rel-org-coach'
  | 'rel-org-member'
  | 'rel-admin-not-privileged'
  | 'rel-app-key'
  | 'rel-signed-in'
  | 'rel-anonymous';

export const RELATIONSHIP_RULES: Readonly<Record<RelationshipRuleId, string>> = {
  'rel-self': 'the viewer is the athlete',
  'rel-head-coach': 'the viewer is head coach (accepted) of an organization where the athlete is an active member who accepted',
  'rel-assigned-coach':
    'the viewer is the coach (accepted) the athlete is assigned to, in an organization where the athlete is an active member who accepted',
  'rel-org-coach':
    'the viewer coaches (any role, accepted, not assigned) an organization where the athlete is an active member who accepted: group',
  'rel-org-member':
    'the viewer is an active member (accepted) of an organization where the athlete is an active member who accepted: group',
  'rel-admin-not-privileged': 'a platform admin with no closer tie is public: admins get no privileged view of athlete data',
  'rel-app-key': 'an app-key integration is public',
  'rel-signed-in': 'any other signed-in user is public',
  'rel-anonymous': 'no credentials',
};

export interface RelationshipExplanation {
  readonly relationship: Relationship;
  readonly rule: RelationshipRuleId;
  /** The organization that created the tie, for coach and group. */
  readonly org_id?: string;
}

/** The relationship and the rule (and organization) that produced it. */
export function explainRelationship(facts: RelationshipFacts): RelationshipExplanation {
  const { viewer } = facts;
  if (viewer.kind === 'anonymous') return { relationship: 'anonymous', rule: 'rel-anonymous' };
  // App keys act for integrations, not for a person, so no organization tie applies to them.
  if (viewer.kind === 'app') return { relationship: 'public', rule: 'rel-app-key' };
  if (viewer.user_id === facts.athlete_id) return { relationship: 'self', rule: 'rel-self' };

  let group: RelationshipExplanation | undefined;
  for (const org of facts.organizations) {
    // An inactive or suspended athlete, or one who has not accepted the membership, is in no
    // audience through that organization (§8: naming someone opens nothing).
    if (!org.athlete_active_member || !isAccepted(org.athlete_consent)) continue;
    // A viewer counts as coach or member only through a tie they accepted themselves.
    const coaching = isAccepted(org.viewer_coach_consent) && (org.viewer_is_coach || org.head_coach_user_id === viewer.user_id);
    const member = isAccepted(org.viewer_member_consent) && org.viewer_active_member;
    if (coaching && org.head_coach_user_id === viewer.user_id) return { relationship: 'coach', rule: 'rel-head-coach', org_id: org.org_id };
    // A stale assignment to someone who no longer coaches the organization gives nothing.
    if (coaching && org.athlete_assigned_coach_id === viewer.user_id) {
      return { relationship: 'coach', rule: 'rel-assigned-coach', org_id: org.org_id };
    }
    if (!group && coaching) group = { relationship: 'group', rule: 'rel-org-coach', org_id: org.org_id };
    else if (!group && member) group = { relationship: 'group', rule: 'rel-org-member', org_id: org.org_id };
  }
  if (group) return group;
  return { relationship: 'public', rule: viewer.is_admin ? 'rel-admin-not-privileged' : 'rel-signed-in' };
}

export function resolveRelationship(facts: RelationshipFacts): Relationship {
  return explainRelationship(facts).relationship;
}

/** Narrows an authorizer principal (or its absence) to what the policy needs. */
export function viewerOf(
  principal:
    | { readonly kind: 'user'; readonly user_id: string; readonly is_admin: boolean }
    | { readonly kind: 'app'; readonly app_id: string }
    | null
    | undefined,
): Viewer {
  if (!principal) return { kind: 'anonymous' };
  if (principal.kind === 'user') return { kind: 'user', user_id: principal.user_id, is_admin: principal.is_admin };
  return { kind: 'app', app_id: principal.app_id };
}
