import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import {
  decisionFor,
  resolveRelationships,
  resolveSettings,
  shapeRosterProfile,
  viewerOf,
  type MembershipRecord,
  type OrganizationRecord,
} from '../policy';
import { batchGetItems } from '../repositories/batch-get';
import { keys } from '../repositories/keys';
import { MemberRepository, type Member, type MemberFilters } from '../repositories/member-repository';
import type { Organization } from '../repositories/organization-repository';
import { profileStatusFlags } from '../users/profile-status';
import type { ProfileFields } from '../users/profile-schema';
import { otherTiedOrganizations } from '../relationships/user-ties';
import { membershipView } from './membership-view';

export interface RosterPage {
  readonly members: Record<string, unknown>[];
  readonly lastKey?: Record<string, unknown>;
}

const memberRecord = (m: { org_id?: unknown; user_id?: unknown; status?: unknown; assigned_coach_id?: unknown }): MembershipRecord => ({
  org_id: String(m.org_id),
  user_id: String(m.user_id),
  status: String(m.status),
  assigned_coach_id: typeof m.assigned_coach_id === 'string' ? m.assigned_coach_id : null,
});

/**
 * The members list. Cost per page, whatever the roster size: one Query of the roster page; with
 * `include_profile_status`, the page's profiles in ⌈N/100⌉ BatchGetItem calls, plus — unless the
 * lister is the head coach, whose tie already decides — one Query of the lister's own ties (by-user
 * index), whose other organizations join the same batch (their org item, the lister's and the page's
 * memberships there), because a closer tie elsewhere can change what the lister may see.
 * Never a GetItem per member, never a Scan.
 */
export class RosterReader {
  private readonly members: MemberRepository;

  constructor(private readonly client: DocumentClient, private readonly table: string) {
    this.members = new MemberRepository(client, table);
  }

  async page(
    viewer: UserPrincipal,
    org: Organization,
    query: { filters: MemberFilters; limit: number; startKey?: Record<string, unknown>; includeProfileStatus: boolean; today: string },
  ): Promise<RosterPage> {
    const page = await this.members.listPage(org.org_id, query.filters, query.limit, query.startKey);
    const tail = page.lastKey ? { lastKey: page.lastKey } : {};
    if (!query.includeProfileStatus || page.items.length === 0) return { members: page.items.map((m) => membershipView(m)), ...tail };
    return { members: await this.withProfileStatus(viewer, org, page.items, query.today), ...tail };
  }

  private async withProfileStatus(viewer: UserPrincipal, org: Organization, members: readonly Member[], today: string): Promise<Record<string, unknown>[]> {
    const athleteIds = members.map((m) => m.user_id);
    const otherOrgIds = org.head_coach_user_id === viewer.user_id ? [] : await this.viewerOrganizations(viewer.user_id, org.org_id);
    const isCoachHere = org.head_coach_user_id === viewer.user_id || org.coaches.some((c) => c.user_id === viewer.user_id);
    const batchKeys: Record<string, string>[] = athleteIds.map((id) => keys.user(id));
    // A lister who coaches here is at least `group`; otherwise their own membership here may matter.
    if (!isCoachHere) batchKeys.push(keys.member(org.org_id, viewer.user_id));
    for (const otherId of otherOrgIds) {
      batchKeys.push(keys.organization(otherId), keys.member(otherId, viewer.user_id), ...athleteIds.map((id) => keys.member(otherId, id)));
    }
    // Consistent: profiles carry privacy settings and memberships are ties; both apply on the next request.
    const items = await batchGetItems(this.client, this.table, batchKeys, { consistent: true });

    const profiles = new Map<string, Record<string, unknown>>();
    const organizations: OrganizationRecord[] = [{ org_id: org.org_id, head_coach_user_id: org.head_coach_user_id, coaches: org.coaches }];
    const memberships: MembershipRecord[] = members.map(memberRecord);
    for (const item of items) {
      if (item.entity === 'user') profiles.set(String(item.user_id), item);
      else if (item.entity === 'organization') {
        organizations.push({ org_id: String(item.org_id), head_coach_user_id: String(item.head_coach_user_id), coaches: (item.coaches as { user_id: string }[] | undefined) ?? [] });
      } else if (item.entity === 'member' && item.status !== 'removed') memberships.push(memberRecord(item));
    }

    const relationships = resolveRelationships({ viewer: viewerOf(viewer), organizations, memberships }, athleteIds);
    return members.map((member) => {
      const profile = profiles.get(member.user_id) ?? {};
      const decision = decisionFor(resolveSettings(profile.privacy as Record<string, boolean> | undefined), relationships.get(member.user_id) ?? 'public', 'roster');
      const flags = profileStatusFlags(profile as ProfileFields, today);
      const athlete = {
        ...(typeof profile.profile_image_url === 'string' ? { profile_image_url: profile.profile_image_url } : {}),
        ...(typeof profile.gender === 'string' ? { gender: profile.gender } : {}),
      };
      return shapeRosterProfile(membershipView(member) as Parameters<typeof shapeRosterProfile>[0], flags, athlete, decision);
    });
  }

  /** Organizations (other than this one) where the lister is a member or a coach, from the by-user index. */
  private viewerOrganizations(userId: string, exceptOrgId: string): Promise<string[]> {
    return otherTiedOrganizations(this.client, this.table, userId, exceptOrgId);
  }
}
