import type { DocumentClient } from '../lib/db/client';
import { recordMemberGroup } from '../lib/repositories';
import { forEachScanned, type ScanSegment, WHOLE_TABLE } from './segmented-scan';

/** What one backfill run did, for the operator (and the test). */
export interface GroupIndexBackfillReport extends Record<string, number> {
  /** (group, member) pairs the member item now records. */
  recorded: number;
  /** Already recorded, or changed by the API meanwhile: left as they are. */
  unchanged: number;
  /** Users a group still held after their membership ended (a removal made before the release): taken out. */
  left: number;
}

/**
 * Gives every member item the ids of the live groups holding it (docs/adr/0028-member-groups.md), so
 * the leaderboard projector and a removal find a member's groups without reading the organization's.
 * An ops tool, so it may Scan (no request path does): one pass over the groups, or one segment of a
 * parallel Scan. Every write is conditional on the group still holding the user (recordMemberGroup),
 * so it races the API safely and a second run changes nothing.
 */
export async function backfillGroupIndex(
  client: DocumentClient,
  table: string,
  segment: ScanSegment = WHOLE_TABLE,
): Promise<GroupIndexBackfillReport> {
  const report: GroupIndexBackfillReport = { recorded: 0, unchanged: 0, left: 0 };
  const filter = {
    FilterExpression: 'entity = :group AND #status <> :removed AND attribute_exists(member_ids)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':group': 'group', ':removed': 'removed' },
    ProjectionExpression: 'org_id, group_id, member_ids',
  };
  await forEachScanned(client, table, segment, filter, async ({ org_id, group_id, member_ids }) => {
    if (typeof org_id !== 'string' || typeof group_id !== 'string' || !(member_ids instanceof Set)) return;
    for (const user_id of member_ids) {
      if (typeof user_id === 'string') report[await recordMemberGroup(client, table, { org_id, group_id, user_id })] += 1;
    }
  });
  return report;
}
