import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { decisionFor, resolveRelationships, resolveSettings, shapeActivity, viewerOf } from '../policy';
import { batchGetItems } from '../repositories/batch-get';
import { keys } from '../repositories/keys';
import { organizationRecord, OrganizationTies, sortTieItems, type LoadedOrganization } from '../relationships/organization-ties';
import { activityFieldsOf, FeedRepository } from './feed-repository';

export interface FeedReadPage {
  readonly activities: Record<string, unknown>[];
  readonly lastKey?: Record<string, unknown>;
}

/**
 * One page of an organization's feed, privacy decided at read time (context `feed`): a setting
 * changed a moment ago applies to every entry already projected. Cost per page, whatever the
 * organization's size: one Query of the feed; unless the viewer is the head coach, one Query of the
 * viewer's ties; one consistent BatchGet (⌈keys/100⌉ calls) of the page's D distinct owners'
 * profiles (settings) and memberships here (an owner who left disappears at once), the viewer's
 * membership here (unless they coach here), and K·(D + 2) keys for the viewer's K other organizations.
 */
export class FeedReader {
  private readonly feed: FeedRepository;
  private readonly ties: OrganizationTies;

  constructor(private readonly client: DocumentClient, private readonly table: string) {
    this.feed = new FeedRepository(client, table);
    this.ties = new OrganizationTies(client, table);
  }

  async page(viewer: UserPrincipal, org: LoadedOrganization, query: { limit: number; startKey?: Record<string, unknown> }): Promise<FeedReadPage> {
    const page = await this.feed.page(org.org_id, query.limit, query.startKey);
    const tail = page.lastKey ? { lastKey: page.lastKey } : {};
    if (page.entries.length === 0) return { activities: [], ...tail };

    const owners = [...new Set(page.entries.map((entry) => String(entry.user_id)))];
    const otherOrgIds = await this.ties.otherOrganizations(viewer.user_id, org);
    // A coach here is at least `group` to every member here; otherwise the viewer's own membership may matter.
    const coachHere = org.head_coach_user_id === viewer.user_id || org.coaches.some((c) => c.user_id === viewer.user_id);
    const memberIds = coachHere || owners.includes(viewer.user_id) ? owners : [...owners, viewer.user_id];
    const batchKeys = [
      ...owners.map((id) => keys.user(id)),
      ...memberIds.map((id) => keys.member(org.org_id, id)),
      ...this.ties.keys(otherOrgIds, viewer.user_id, owners),
    ];
    // Consistent: profiles carry the settings and memberships are ties; both apply on the next read.
    const { profiles, organizations, memberships } = sortTieItems(await batchGetItems(this.client, this.table, batchKeys, { consistent: true }));
    const activeHere = new Set(memberships.filter((m) => m.org_id === org.org_id && m.status === 'active').map((m) => m.user_id));
    const relationships = resolveRelationships({ viewer: viewerOf(viewer), organizations: [organizationRecord(org), ...organizations], memberships }, owners);

    const activities: Record<string, unknown>[] = [];
    for (const entry of page.entries) {
      const ownerId = String(entry.user_id);
      const profile = profiles.get(ownerId);
      if (!profile || !activeHere.has(ownerId)) continue;
      const decision = decisionFor(resolveSettings(profile.privacy as Record<string, boolean> | undefined), relationships.get(ownerId) ?? 'public', 'feed');
      const view = shapeActivity(activityFieldsOf(entry), decision);
      if (view) activities.push(view);
    }
    return { activities, ...tail };
  }
}
