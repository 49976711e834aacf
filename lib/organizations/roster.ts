import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { decisionFor, resolveRelationships, resolveSettings, shapeRosterProfile, viewerOf } from '../policy';
import { MemberRepository, type Member, type MemberFilters } from '../repositories/member-repository';
import { OrganizationRepository } from '../repositories/organization-repository';
import { profileStatusFlags } from '../users/profile-status';
import type { ProfileFields } from '../users/profile-schema';
import { membershipRecord, organizationRecord } from '../relationships/organization-ties';
import { readProfileBatch } from '../relationships/profile-batch';
import { factsFromProfiles, profilesFor } from '../relationships/profile-facts';
import { grantOrganizationAccess } from './access';
import { membershipView } from './membership-view';

export interface RosterPage {
  readonly members: Record<string, unknown>[];
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

    const facts = factsFromProfiles({
      viewer: viewerOf(viewer),
      organizations: [organizationRecord(org)],
      memberships: page.items.map(membershipRecord),
      ...(profiles.has(viewer.user_id) ? { viewerProfile: profiles.get(viewer.user_id) } : {}),
      athleteProfiles: profilesFor(athleteIds, profiles),
    });
    const relationships = resolveRelationships(facts, athleteIds);
    const members = page.items.map((member: Member) => {
      const profile = profiles.get(member.user_id) ?? {};
      const decision = decisionFor(
        resolveSettings(profile.privacy as Record<string, boolean> | undefined),
        relationships.get(member.user_id) ?? 'public',
        'roster',
      );
      const flags = profileStatusFlags(profile as ProfileFields, query.today);
      const athlete = {
        ...(typeof profile.profile_image_url === 'string' ? { profile_image_url: profile.profile_image_url } : {}),
        ...(typeof profile.gender === 'string' ? { gender: profile.gender } : {}),
      };
      return shapeRosterProfile(
        { ...(membershipView(member) as Parameters<typeof shapeRosterProfile>[0]), consent: member.consent },
        flags,
        athlete,
        decision,
      );
    });
    return { members, ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
  }
}
