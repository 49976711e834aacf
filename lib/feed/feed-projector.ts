import { queryUserTies } from '../repositories/user-ties';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { DocumentClient } from '../db/client';
import { FeedRepository } from '../repositories/feed-repository';
import { activitySummary } from '../activities/activity-summary';

type Image = Record<string, unknown>;

function image(value: Record<string, AttributeValue> | undefined): Image | undefined {
  // aws-lambda's AttributeValue and the SDK's are the same wire shape under different declarations.
  return value ? (unmarshall(value as Parameters<typeof unmarshall>[0]) as Image) : undefined;
}

/**
 * The feed projector (stream consumer): an inserted activity gets one feed entry per organization
 * where its owner is an active member who accepted the membership; a deleted one loses its entries in every organization the
 * owner has a membership item in, whatever its status (they may have left since). Membership comes
 * from the `by-user` index, which may lag a moment; the feed read checks the owner's membership
 * again, strongly, so this only decides where an entry is stored, never who sees it.
 * Writes are by key (put, delete), so a re-delivered record changes nothing.
 */
export class FeedProjector {
  private readonly feed: FeedRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.feed = new FeedRepository(client, table);
  }

  /** Returns the number of feed items written or deleted. */
  async project(record: DynamoDBRecord): Promise<number> {
    const inserted = record.eventName === 'INSERT';
    if (!inserted && record.eventName !== 'REMOVE') return 0;
    const activity = image(inserted ? record.dynamodb?.NewImage : record.dynamodb?.OldImage);
    if (activity?.entity !== 'activity' || typeof activity.user_id !== 'string') return 0;
    const orgIds = await this.organizationsOf(activity.user_id, inserted);
    for (const orgId of orgIds) {
      // A feed page is a list: its entries hold the activity's summary, not splits and polyline (ADR 0017).
      if (inserted) await this.feed.put(orgId, activitySummary(activity));
      else await this.feed.delete(orgId, String(activity.start_time), String(activity.activity_id));
    }
    return orgIds.length;
  }

  private async organizationsOf(userId: string, activeOnly: boolean): Promise<string[]> {
    const orgIds: string[] = [];
    for (const tie of await queryUserTies(this.client, this.table, userId)) {
      if (tie.entity !== 'member' || typeof tie.org_id !== 'string') continue;
      // Only a membership the athlete accepted carries their activities into an organization (privacy.md §8).
      if (!activeOnly || (tie.status === 'active' && tie.consent === 'accepted')) orgIds.push(tie.org_id);
    }
    return orgIds;
  }
}
