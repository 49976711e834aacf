import type { DocumentClient } from '../lib/db/client';
import { expireBoardEntry } from '../lib/repositories';
import { BOARD_ENTRY_ENTITY, BOARD_PARTITION_ATTRIBUTE, TABLE_DESIGN } from '../lib/repositories/table-design';
import { forEachScanned, type ScanSegment, WHOLE_TABLE } from './segmented-scan';

/** What one backfill run did, for the operator (and the test). */
export interface BoardExpiryBackfillReport extends Record<string, number> {
  /** Week, month and year entries given the expiry their bucket gives (an ended bucket's: one in the past). */
  expiring: number;
  /** Found without one, but deleted or rewritten by the projector meanwhile: left as they are. */
  unchanged: number;
  /** All-time entries: they never expire (ADR 0030). */
  all_time: number;
}

/**
 * Gives every leaderboard entry written before ADR 0030 its `expires_at` (docs/adr/0030-board-entries-expire.md),
 * so the TTL sweep reclaims the entries of ended weeks, months and years that nothing reads. An ops
 * tool, so it may Scan (no request path does): one pass over the table, or one segment of a parallel
 * Scan. Every write is conditional (expireBoardEntry), so it races the projector safely and a second
 * run changes nothing.
 */
export async function backfillBoardExpiry(
  client: DocumentClient,
  table: string,
  segment: ScanSegment = WHOLE_TABLE,
): Promise<BoardExpiryBackfillReport> {
  const report: BoardExpiryBackfillReport = { expiring: 0, unchanged: 0, all_time: 0 };
  const filter = {
    FilterExpression: 'entity = :entry AND attribute_not_exists(#expires)',
    ExpressionAttributeNames: { '#expires': TABLE_DESIGN.ttlAttribute, '#board': BOARD_PARTITION_ATTRIBUTE },
    ExpressionAttributeValues: { ':entry': BOARD_ENTRY_ENTITY },
    ProjectionExpression: 'user_id, #board',
  };
  await forEachScanned(client, table, segment, filter, async (item) => {
    const userId = item.user_id;
    const board = item[BOARD_PARTITION_ATTRIBUTE];
    if (typeof userId !== 'string' || typeof board !== 'string') return;
    report[await expireBoardEntry(client, table, userId, board)] += 1;
  });
  return report;
}
