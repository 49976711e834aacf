import type { Principal } from '../auth/principal';
import { DEFAULT_PLAN, planHasFeature, type PlanFeature } from '../config/plans';
import type { DocumentClient } from '../db/client';
import { FeatureNotEnabledError, ForbiddenError, NotFoundError } from '../errors';
import { MemberRepository } from '../repositories/member-repository';
import { OrganizationRepository, type Organization } from '../repositories/organization-repository';
import { authorizeOrganizationAction, PERMISSIONS, type OrganizationAction, type OrganizationFacts, type OrganizationRole } from './permissions';

export interface OrganizationAccessGrant {
  readonly org: Organization;
  readonly role: OrganizationRole;
}

/** Head coach plus every entry of the coaches list: the "coaches of the org" of api.md. */
export function coachIdsOf(org: Organization): string[] {
  return [org.head_coach_user_id, ...org.coaches.map((c) => c.user_id)];
}

/**
 * The first step of every organization handler: load the organization strongly consistently (a
 * coach removed a moment ago has lost access), 404 when it does not exist, then the permission
 * matrix (403 `forbidden`), then the plan feature (403 `feature_not_enabled`, told only to those
 * allowed, so outsiders learn nothing about the plan). The caller's membership is read only when the
 * action admits plain members and nothing else already decides.
 */
export class OrganizationAccess {
  private readonly organizations: OrganizationRepository;
  private readonly members: MemberRepository;

  constructor(client: DocumentClient, table: string) {
    this.organizations = new OrganizationRepository(client, table);
    this.members = new MemberRepository(client, table);
  }

  async require(principal: Principal | undefined, orgId: string, action: OrganizationAction, feature?: PlanFeature): Promise<OrganizationAccessGrant> {
    const org = await this.organizations.getConsistent(orgId);
    if (!org) throw new NotFoundError('organization not found');
    const facts: OrganizationFacts = { head_coach_user_id: org.head_coach_user_id, coach_user_ids: org.coaches.map((c) => c.user_id), caller_is_active_member: false };
    let decision = authorizeOrganizationAction(principal, facts, action);
    if (!decision.allowed && decision.role === 'outsider' && PERMISSIONS[action].includes('member') && principal?.kind === 'user') {
      const membership = await this.members.get(orgId, principal.user_id);
      decision = authorizeOrganizationAction(principal, { ...facts, caller_is_active_member: membership?.status === 'active' }, action);
    }
    if (!decision.allowed) throw new ForbiddenError('insufficient permissions for this organization');
    if (feature && !planHasFeature(org.plan ?? DEFAULT_PLAN, feature)) throw new FeatureNotEnabledError(feature);
    return { org, role: decision.role };
  }
}
