import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { RelatedAthletes } from '../athletes/related-athletes';
import { grantOrganizationAccess } from '../organizations/access';
import { viewerOf } from '../policy';
import { activitySummary } from '../activities/activity-summary';
import { FeedRepository } from '../repositories/feed-repository';
import { readProfileBatch } from '../repositories/profile-batch';
import { organizationRecord } from '../relationships/organization-ties';

export interface FeedReadPage {
  readonly activities: Record<string, unknown>[];
  readonly lastKey?: Record<string, unknown>;
}

/**
 * One page of an organization's feed, privacy decided at read time (context `feed`) and access on
 * the facts read with it (action `feed:read`): a setting changed a moment ago applies to every entry
 * already projected. Cost per page, whatever the organization's size: one Query of the feed, then one
 * consistent BatchGet (⌈(D + 2)/100⌉ calls) of the organization item (authorization), the viewer's
 * profile (their membership here and ties everywhere) and the page's D distinct owners' profiles
 * (settings, and their ties: an owner who left the organization disappears at once).
 */
export class FeedReader {
  private readonly feed: FeedRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.feed = new FeedRepository(client, table);
  }

  async page(viewer: UserPrincipal, orgId: string, query: { limit: number; startKey?: Record<string, unknown> }): Promise<FeedReadPage> {
    const page = await this.feed.page(orgId, query.limit, query.startKey);
    const owners = [...new Set(page.entries.map((entry) => String(entry.user_id)))];
    const { profiles, organization } = await readProfileBatch(this.client, this.table, [viewer.user_id, ...owners], {
      organizationId: orgId,
    });
    const viewerProfile = profiles.get(viewer.user_id);
    const ownTie = viewerProfile?.ties.memberships.get(orgId);
    // A member counts only once they accepted (privacy.md §8); coaches manage whatever their answer.
    const callerIsActiveMember = ownTie?.status === 'active' && ownTie.consent === 'accepted';
    const { org } = grantOrganizationAccess(viewer, organization, 'feed:read', { callerIsActiveMember });
    const tail = page.lastKey ? { lastKey: page.lastKey } : {};
    if (page.entries.length === 0) return { activities: [], ...tail };

    const related = RelatedAthletes.relate({
      viewer: viewerOf(viewer),
      athleteIds: owners,
      profiles,
      organizations: [organizationRecord(org)],
    });
    const activities: Record<string, unknown>[] = [];
    for (const entry of page.entries) {
      const ownerId = String(entry.user_id);
      // An owner who left, is no longer active or never accepted is not in this feed: their tie here says so.
      const tie = related.profileOf(ownerId)?.ties.memberships.get(orgId);
      if (tie?.status !== 'active' || tie.consent !== 'accepted') continue;
      // Entries projected before summaries copied the whole activity: a feed page shows summaries alike.
      const view = related.feedActivity(ownerId, activitySummary(entry));
      if (view) activities.push(view);
    }
    return { activities, ...tail };
  }
}
