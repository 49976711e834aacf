import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { bucketOf, hasEnded, PERIODS, type Period } from '../activities/period-totals';
import { now } from '../clock';
import type { DocumentClient } from '../db/client';
import { BoardRepository } from '../repositories/board-repository';
import { forgetGroup, groupsNamedBy } from '../repositories/group-membership';
import { stringsOf } from '../repositories/item';
import { changedBuckets, endedTotals, forgetEndedTotals, totalsOf } from '../repositories/period-totals';
import { readProfileBatch } from '../repositories/profile-batch';
import { profileTiesOf } from '../repositories/profile-ties';

type Image = Record<string, unknown>;
type Bucket = { readonly period: Period; readonly bucket: string };

function image(value: Record<string, AttributeValue> | undefined): Image | undefined {
  // aws-lambda's AttributeValue and the SDK's are the same wire shape under different declarations.
  return value ? (unmarshall(value as Parameters<typeof unmarshall>[0]) as Image) : undefined;
}

/** Organizations where the profile's owner is an active member who accepted (only they are ranked, privacy.md §8). */
function activeOrganizations(profile: Image | undefined): Set<string> {
  const orgIds = new Set<string>();
  for (const [orgId, tie] of profileTiesOf(profile).memberships) {
    if (tie.status === 'active' && tie.consent === 'accepted') orgIds.add(orgId);
  }
  return orgIds;
}

const earliest = (recordedAt: Date | undefined, current: Date): Date =>
  recordedAt && recordedAt.getTime() < current.getTime() ? recordedAt : current;

/** Each bucket once (an activity of today changes the current buckets a join adds too). */
function distinct(buckets: readonly Bucket[]): Bucket[] {
  return [...new Map(buckets.map((b) => [`${b.period}#${b.bucket}`, b])).values()];
}

/**
 * The buckets a board reader may ask for around a change: those of the record's time and of now, so
 * a join on Sunday night projected on Monday morning lands in both weeks. Older buckets are never
 * read (a board is always of the current bucket), so a join does not copy the athlete's history.
 */
function currentBuckets(recordedAt: Date | undefined): Bucket[] {
  const instants = recordedAt ? [recordedAt, now()] : [now()];
  return distinct(instants.flatMap((at) => PERIODS.map((period) => ({ period, bucket: bucketOf(period, at) }))));
}

const membersOf = (group: Image | undefined): Set<string> =>
  !group || group.status === 'removed' ? new Set() : new Set(stringsOf(group.member_ids));

/**
 * The leaderboard projector (stream consumer, ADR 0013): keeps the ranked read model in step with
 *   - profile writes: an activity's create or delete changes the profile's period totals in its own
 *     transaction, and the new image carries them whole, so the changed buckets' entries are set to
 *     the absolute totals of that image on each board the athlete is on (their organizations as an
 *     active member who accepted, and their groups there); a membership that became active and
 *     accepted adds the current buckets' entries; one that ended removes the athlete's entries there;
 *   - group writes: a member added gets the current buckets' entries (their profile read strongly),
 *     one taken out (or the group deleted) loses the group's entries.
 * Every write is a put of absolute totals or a delete by key, so a redelivered record writes the same
 * again; records of one item arrive in order, so the last write is the newest image's.
 */
export class LeaderboardProjector {
  private readonly boards: BoardRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.boards = new BoardRepository(client, table);
  }

  /** Returns the number of board entries written or deleted. */
  async project(record: DynamoDBRecord): Promise<number> {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return 0;
    const before = image(record.dynamodb?.OldImage);
    const after = image(record.dynamodb?.NewImage);
    const seconds = record.dynamodb?.ApproximateCreationDateTime;
    const recordedAt = typeof seconds === 'number' ? new Date(seconds * 1000) : undefined;
    if (after?.entity === 'user' && typeof after.user_id === 'string') return this.profileChanged(after.user_id, before, after, recordedAt);
    if (after?.entity === 'group' && typeof after.org_id === 'string' && typeof after.group_id === 'string') {
      return this.groupChanged(after.org_id, after.group_id, before, after, recordedAt);
    }
    return 0;
  }

  private async profileChanged(userId: string, before: Image | undefined, after: Image, recordedAt: Date | undefined): Promise<number> {
    const wasIn = activeOrganizations(before);
    const isIn = activeOrganizations(after);
    // A bucket ended for the record only if it had ended both when it was written and now (ADR 0029):
    // a change of Sunday night still lands on that week's board when projected on Monday.
    const at = earliest(recordedAt, now());
    const changed = changedBuckets(before, after).filter(({ period, bucket }) => !hasEnded(period, bucket, at));
    await forgetEndedTotals(this.client, this.table, userId, endedTotals(after, at));
    let written = 0;
    for (const orgId of isIn) {
      const buckets = wasIn.has(orgId) ? changed : distinct([...changed, ...currentBuckets(recordedAt)]);
      if (buckets.length === 0) continue;
      // The groups the member item names, exact for every live group (ADR 0028): a club's size costs nothing here.
      const scopes = [{}, ...(await groupsNamedBy(this.client, this.table, orgId, userId)).map((groupId) => ({ groupId }))];
      for (const scope of scopes) {
        for (const { period, bucket } of buckets) {
          await this.boards.set(userId, { orgId, scope, period, bucket }, totalsOf(after, period, bucket));
          written += 1;
        }
      }
    }
    for (const orgId of wasIn) if (!isIn.has(orgId)) written += await this.boards.removeAll(userId, orgId);
    return written;
  }

  private async groupChanged(orgId: string, groupId: string, before: Image | undefined, after: Image, recordedAt: Date | undefined) {
    const wasIn = membersOf(before);
    const isIn = membersOf(after);
    let written = 0;
    for (const userId of wasIn) if (!isIn.has(userId)) written += await this.boards.removeAll(userId, orgId, { groupId });
    // A deleted group leaves its members' items naming it (ADR 0028): forgotten here, so their next
    // activities write no board of a group nobody can read.
    if (after.status === 'removed' && before?.status !== 'removed')
      for (const userId of wasIn) await forgetGroup(this.client, this.table, orgId, userId, groupId);
    const joined = [...isIn].filter((userId) => !wasIn.has(userId));
    if (joined.length === 0) return written;
    // Strongly: the totals and ties as they are now, not as the group write found them.
    const { profiles } = await readProfileBatch(this.client, this.table, joined);
    for (const userId of joined) {
      const tie = profiles.get(userId)?.ties.memberships.get(orgId);
      const profile = profiles.get(userId);
      if (!profile || tie?.status !== 'active' || tie.consent !== 'accepted') continue;
      for (const { period, bucket } of currentBuckets(recordedAt)) {
        await this.boards.set(userId, { orgId, scope: { groupId }, period, bucket }, profile.totals(period, bucket));
        written += 1;
      }
    }
    return written;
  }
}
