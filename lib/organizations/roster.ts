import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { RelatedAthletes } from '../athletes/related-athletes';
import { viewerOf } from '../policy';
import { type Member, type MemberFilters, MemberRepository } from '../repositories/member-repository';
import { OrganizationRepository } from '../repositories/organization-repository';
import { readProfileBatch } from '../repositories/profile-batch';
import { membershipRecord, organizationRecord } from '../relationships/organization-ties';
import { profileStatusFlags } from '../users/profile-status';
import { grantOrganizationAccess } from './access';
import { membershipView } from './membership-view';

export interface RosterPage {
  readonly members: readonly object[];
  readonly lastKey?: Record<string, unknown>;
}

export interface RosterQuery {
  readonly filters: MemberFilters;
  readonly limit: number;
  readonly startKey?: Record<string, unknown>;
  readonly includeProfileStatus: boolean;
  readonly today: string;
}

/**
 * The members list, authorized on the facts it reads itself (action `member:list`). Cost per page,
 * whatever the roster size: without profile status, the roster Query page and the organization's
 * strongly consistent GetItem, concurrently; with `include_profile_status`, the roster Query page and
 * then ONE consistent BatchGet (⌈(n + 2)/100⌉ calls for n members on the page) of the organization
 * item (authorization), the lister's profile (their ties everywhere) and the page's profiles
 * (settings, profile-status fields and the athletes' ties everywhere: lib/repositories/profile-ties.ts).
 * Never a GetItem per member, never an index query, never a Scan.
 */
export class RosterReader {
  private readonly members: MemberRepository;
  private readonly organizations: OrganizationRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.members = new MemberRepository(client, table);
    this.organizations = new OrganizationRepository(client, table);
  }

  async page(viewer: UserPrincipal, orgId: string, query: RosterQuery): Promise<RosterPage> {
    if (!query.includeProfileStatus) {
      const [org, page] = await Promise.all([
        this.organizations.getConsistent(orgId),
        this.members.listPage(orgId, query.filters, query.limit, query.startKey),
      ]);
      grantOrganizationAccess(viewer, org, 'member:list');
      return { members: page.items.map((m) => membershipView(m)), ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
    }
    const page = await this.members.listPage(orgId, query.filters, query.limit, query.startKey);
    const athleteIds = page.items.map((m) => m.user_id);
    const { profiles, organization } = await readProfileBatch(this.client, this.table, [viewer.user_id, ...athleteIds], {
      organizationId: orgId,
    });
    const { org } = grantOrganizationAccess(viewer, organization, 'member:list');

    const athletes = RelatedAthletes.relate({
      viewer: viewerOf(viewer),
      athleteIds,
      profiles,
      organizations: [organizationRecord(org)],
      memberships: page.items.map(membershipRecord),
    });
    const members = page.items.map((member: Member) => {
      const user = athletes.profileOf(member.user_id)?.user;
      const flags = profileStatusFlags(user ?? {}, query.today);
      return athletes.rosterRow(membershipView(member), flags);
    });
    return { members, ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
  }
}
