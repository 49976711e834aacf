import type { Principal } from '../auth/principal';
import { DEFAULT_PLAN, planHasFeature, type PlanFeature } from '../config/plans';
import type { DocumentClient } from '../db/client';
import { FeatureNotEnabledError, ForbiddenError, NotFoundError } from '../errors';
import { MemberRepository } from '../repositories/member-repository';
import { OrganizationRepository, type Organization } from '../repositories/organization-repository';
import {
  authorizeOrganizationAction,
  PERMISSIONS,
  type OrganizationAction,
  type CallerStanding,
  type OrganizationRole,
} from './permissions';

export interface OrganizationAccessGrant {
  readonly org: Organization;
  readonly role: OrganizationRole;
}

/** Head coach plus every entry of the coaches list: the "coaches of the org" of api.md. */
export function coachIdsOf(org: Organization): string[] {
  return [org.head_coach_user_id, ...org.coaches.map((c) => c.user_id)];
}

const callerFacts = (org: Organization, callerIsActiveMember: boolean): CallerStanding => ({
  head_coach_user_id: org.head_coach_user_id,
  coach_user_ids: org.coaches.map((c) => c.user_id),
  caller_is_active_member: callerIsActiveMember,
});

/**
 * The permission matrix applied to facts already loaded: 404 when the organization does not exist,
 * then the matrix (403 `forbidden`), then the plan feature (403 `feature_not_enabled`, told only to
 * those allowed, so outsiders learn nothing about the plan). Readers that fold the authorization
 * facts into their own batched read (roster, leaderboard, feed) call this after reading and before
 * answering; nothing they read leaves unless it grants.
 */
export function grantOrganizationAccess(
  principal: Principal | undefined,
  org: Organization | undefined,
  action: OrganizationAction,
  options: { readonly callerIsActiveMember?: boolean; readonly feature?: PlanFeature } = {},
): OrganizationAccessGrant {
  if (!org) throw new NotFoundError('organization not found');
  const decision = authorizeOrganizationAction(principal, callerFacts(org, options.callerIsActiveMember ?? false), action);
  if (!decision.allowed) throw new ForbiddenError('insufficient permissions for this organization');
  if (options.feature && !planHasFeature(org.plan ?? DEFAULT_PLAN, options.feature)) throw new FeatureNotEnabledError(options.feature);
  return { org, role: decision.role };
}

/** Whether only the caller's membership can still decide (an outsider so far, on an action members may take). */
function membershipCouldGrant(principal: Principal | undefined, org: Organization, action: OrganizationAction): boolean {
  if (principal?.kind !== 'user' || !PERMISSIONS[action].includes('member')) return false;
  return authorizeOrganizationAction(principal, callerFacts(org, false), action).role === 'outsider';
}

/**
 * The first step of the organization handlers that read nothing else first: load the organization
 * strongly consistently (a coach removed a moment ago has lost access), and the caller's membership
 * only when the action admits plain members and nothing else already decides; then
 * `grantOrganizationAccess`.
 */
export class OrganizationAccess {
  private readonly organizations: OrganizationRepository;
  private readonly members: MemberRepository;

  constructor(client: DocumentClient, table: string) {
    this.organizations = new OrganizationRepository(client, table);
    this.members = new MemberRepository(client, table);
  }

  async require(
    principal: Principal | undefined,
    orgId: string,
    action: OrganizationAction,
    feature?: PlanFeature,
  ): Promise<OrganizationAccessGrant> {
    const org = await this.organizations.getConsistent(orgId);
    let callerIsActiveMember = false;
    if (org && principal?.kind === 'user' && membershipCouldGrant(principal, org, action)) {
      const own = await this.members.get(orgId, principal.user_id);
      // A member acts as one once they accepted (privacy.md §8); leaving needs only a live membership.
      callerIsActiveMember = own?.status === 'active' && (own.consent === 'accepted' || action === 'member:remove_self');
    }
    return grantOrganizationAccess(principal, org, action, { callerIsActiveMember, ...(feature ? { feature } : {}) });
  }
}
