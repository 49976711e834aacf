import type { DocumentClient } from '../lib/db/client';
import { indexMemberAssignment } from '../lib/repositories';
import { ASSIGNMENT_PARTITION_ATTRIBUTE } from '../lib/repositories/table-design';
import { forEachScanned, type ScanSegment, WHOLE_TABLE } from './segmented-scan';

/** What one backfill run did, for the operator (and the test). */
export interface AssignmentBackfillReport extends Record<string, number> {
  /** Live assigned members given their `members-by-coach` index key. */
  indexed: number;
  /** Found without the key, but reassigned, unassigned, removed or indexed by the API meanwhile: left as they are. */
  unchanged: number;
}

/**
 * Gives every member assigned to a coach before the `members-by-coach` index existed its index key
 * (docs/adr/0027-assignment-index.md), so a coach's removal finds them. An ops tool, so it may Scan
 * (no request path does): one pass over the table, or one segment of a parallel Scan. Every write is
 * conditional (indexMemberAssignment), so it races the API safely and a second run changes nothing.
 */
export async function backfillAssignmentIndex(
  client: DocumentClient,
  table: string,
  segment: ScanSegment = WHOLE_TABLE,
): Promise<AssignmentBackfillReport> {
  const report: AssignmentBackfillReport = { indexed: 0, unchanged: 0 };
  const filter = {
    FilterExpression:
      'entity = :member AND attribute_exists(assigned_coach_id) AND attribute_not_exists(#assigned) AND #status <> :removed',
    ExpressionAttributeNames: { '#assigned': ASSIGNMENT_PARTITION_ATTRIBUTE, '#status': 'status' },
    ExpressionAttributeValues: { ':member': 'member', ':removed': 'removed' },
    ProjectionExpression: 'org_id, user_id, assigned_coach_id',
  };
  await forEachScanned(client, table, segment, filter, async ({ org_id, user_id, assigned_coach_id }) => {
    if (typeof org_id !== 'string' || typeof user_id !== 'string' || typeof assigned_coach_id !== 'string') return;
    report[await indexMemberAssignment(client, table, { org_id, user_id, assigned_coach_id })] += 1;
  });
  return report;
}
