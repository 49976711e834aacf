import { activitySummary } from '../lib/activities';
import type { DocumentClient } from '../lib/db/client';
import { activityFieldsOf, FeedRepository, writeMissingSummary } from '../lib/repositories';
import { FEED_ENTRY_ENTITY } from '../lib/repositories/table-design';
import { forEachScanned, type ScanSegment, WHOLE_TABLE } from './segmented-scan';

/** What one backfill run did, for the operator (and the test). */
export interface BackfillReport extends Record<string, number> {
  /** Activities given their summary. */
  summariesWritten: number;
  /** Activities that had one already (written with them, or by an earlier run). */
  summariesPresent: number;
  /** Activities deleted between the Scan and the write: no summary, rightly. */
  activitiesGone: number;
  /** Feed entries that held a whole activity, rewritten as its summary. */
  feedEntriesSlimmed: number;
  /** Feed entries already a summary, or deleted meanwhile. */
  feedEntriesUnchanged: number;
}

/** Whether a feed entry holds more than the summary the projector writes today (splits, a polyline…). */
function holdsMoreThanSummary(entry: Readonly<Record<string, unknown>>): boolean {
  const fields = activityFieldsOf(entry);
  const summary: Readonly<Record<string, unknown>> = activitySummary(entry);
  if (Object.keys(fields).some((key) => !(key in summary))) return true;
  // Compared by keys: DynamoDB hands a map's keys back in no particular order.
  const map = summary.map;
  return typeof fields.map === 'object' && fields.map !== null && typeof map === 'object' && map !== null
    ? Object.keys(fields.map).length !== Object.keys(map).length
    : false;
}

async function backfillItem(
  client: DocumentClient,
  feed: FeedRepository,
  table: string,
  item: Record<string, unknown>,
  report: BackfillReport,
) {
  if (item.entity === FEED_ENTRY_ENTITY) {
    const slimmed = holdsMoreThanSummary(item) && (await feed.replaceWithSummary(item));
    if (slimmed) report.feedEntriesSlimmed += 1;
    else report.feedEntriesUnchanged += 1;
    return;
  }
  if (typeof item.user_id !== 'string' || typeof item.activity_id !== 'string') return;
  const outcome = await writeMissingSummary(client, table, { ...item, user_id: item.user_id, activity_id: item.activity_id });
  if (outcome === 'written') report.summariesWritten += 1;
  else if (outcome === 'present') report.summariesPresent += 1;
  else report.activitiesGone += 1;
}

/**
 * Gives every activity recorded before summaries existed its summary item, and rewrites every feed
 * entry that copied a whole activity as its summary (docs/adr/0017-activity-summaries.md). An ops
 * tool, so it may Scan (no request path does): one pass over the table, or one segment of a parallel
 * Scan. Every write is conditional (see writeMissingSummary, FeedRepository.replaceWithSummary), so it
 * races the API safely and a second run changes nothing.
 */
export async function backfillActivitySummaries(
  client: DocumentClient,
  table: string,
  segment: ScanSegment = WHOLE_TABLE,
): Promise<BackfillReport> {
  const report: BackfillReport = {
    summariesWritten: 0,
    summariesPresent: 0,
    activitiesGone: 0,
    feedEntriesSlimmed: 0,
    feedEntriesUnchanged: 0,
  };
  const feed = new FeedRepository(client, table);
  await forEachScanned(
    client,
    table,
    segment,
    {
      FilterExpression: 'entity IN (:activity, :feed)',
      ExpressionAttributeValues: { ':activity': 'activity', ':feed': FEED_ENTRY_ENTITY },
    },
    (item) => backfillItem(client, feed, table, item, report),
  );
  return report;
}
