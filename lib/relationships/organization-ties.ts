import { otherTiedOrganizations } from './user-ties';
import type { DocumentClient } from '../db/client';
import type { MembershipRecord, OrganizationRecord } from '../policy';
import { keys } from '../repositories/keys';

/** An organization already loaded (the authorization read), as the facts need it. */
export interface LoadedOrganization {
  readonly org_id: string;
  readonly head_coach_user_id: string;
  readonly coaches: readonly { readonly user_id: string }[];
}

export const membershipRecord = (m: { org_id?: unknown; user_id?: unknown; status?: unknown; assigned_coach_id?: unknown }): MembershipRecord => ({
  org_id: String(m.org_id),
  user_id: String(m.user_id),
  status: String(m.status),
  assigned_coach_id: typeof m.assigned_coach_id === 'string' ? m.assigned_coach_id : null,
});

export const organizationRecord = (o: LoadedOrganization): OrganizationRecord => ({ org_id: o.org_id, head_coach_user_id: o.head_coach_user_id, coaches: o.coaches });

/**
 * Relationship facts for an organization-scoped list (leaderboard, feed): the organization item the
 * handler already read gives head coach and coaches, and its member items give assignments. A tie
 * of the viewer's in ANOTHER organization can still make them closer (coach elsewhere), so unless the
 * viewer is this organization's head coach (coach of every active member here, the closest tie
 * there is short of self), one Query of the viewer's ties (by-user index) names those organizations,
 * and their org item, the viewer's and the athletes' memberships there join the caller's one
 * consistent BatchGet: K·(N + 2) more keys for K other organizations and N athletes.
 */
export class OrganizationTies {
  constructor(private readonly client: DocumentClient, private readonly table: string) {}

  async otherOrganizations(viewerId: string, org: LoadedOrganization): Promise<string[]> {
    if (org.head_coach_user_id === viewerId) return [];
    return otherTiedOrganizations(this.client, this.table, viewerId, org.org_id);
  }

  /** Keys to add to the caller's BatchGet for those organizations. */
  keys(otherOrgIds: readonly string[], viewerId: string, athleteIds: readonly string[]): Record<string, string>[] {
    return otherOrgIds.flatMap((orgId) => [keys.organization(orgId), keys.member(orgId, viewerId), ...athleteIds.filter((id) => id !== viewerId).map((id) => keys.member(orgId, id))]);
  }
}

/** Splits a BatchGet's items into profiles (by user id), organizations and live memberships. */
export function sortTieItems(items: readonly Record<string, unknown>[]): {
  profiles: Map<string, Record<string, unknown>>;
  organizations: OrganizationRecord[];
  memberships: MembershipRecord[];
} {
  const profiles = new Map<string, Record<string, unknown>>();
  const organizations: OrganizationRecord[] = [];
  const memberships: MembershipRecord[] = [];
  for (const item of items) {
    if (item.entity === 'user') profiles.set(String(item.user_id), item);
    else if (item.entity === 'organization') {
      organizations.push({ org_id: String(item.org_id), head_coach_user_id: String(item.head_coach_user_id), coaches: (item.coaches as { user_id: string }[] | undefined) ?? [] });
    } else if (item.entity === 'member' && item.status !== 'removed') memberships.push(membershipRecord(item));
  }
  return { profiles, organizations, memberships };
}
