import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { decisionFor, resolveRelationships, resolveSettings, shapeActivity, viewerOf } from '../policy';
import { grantOrganizationAccess } from '../organizations/access';
import { profileTiesOf } from '../repositories/profile-ties';
import { organizationRecord } from '../relationships/organization-ties';
import { readProfileBatch } from '../relationships/profile-batch';
import { factsFromProfiles, profilesFor } from '../relationships/profile-facts';
import { activityFieldsOf, FeedRepository } from './feed-repository';

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
    const ownTie = profileTiesOf(viewerProfile).memberships.get(orgId);
    // A member counts only once they accepted (privacy.md §8); coaches manage whatever their answer.
    const callerIsActiveMember = ownTie?.status === 'active' && ownTie.consent === 'accepted';
    const { org } = grantOrganizationAccess(viewer, organization, 'feed:read', { callerIsActiveMember });
    const tail = page.lastKey ? { lastKey: page.lastKey } : {};
    if (page.entries.length === 0) return { activities: [], ...tail };

    const facts = factsFromProfiles({
      viewer: viewerOf(viewer),
      organizations: [organizationRecord(org)],
      ...(viewerProfile ? { viewerProfile } : {}),
      athleteProfiles: profilesFor(owners, profiles),
    });
    // An owner who left, is no longer active or never accepted is not in this feed: their tie here says so.
    const activeHere = new Set(
      facts.memberships.filter((m) => m.org_id === orgId && m.status === 'active' && m.consent === 'accepted').map((m) => m.user_id),
    );
    const relationships = resolveRelationships(facts, owners);

    const activities: Record<string, unknown>[] = [];
    for (const entry of page.entries) {
      const ownerId = String(entry.user_id);
      const profile = profiles.get(ownerId);
      if (!profile || !activeHere.has(ownerId)) continue;
      const decision = decisionFor(
        resolveSettings(profile.privacy as Record<string, boolean> | undefined),
        relationships.get(ownerId) ?? 'public',
        'feed',
      );
      const view = shapeActivity(activityFieldsOf(entry), decision);
      if (view) activities.push(view);
    }
    return { activities, ...tail };
  }
}
