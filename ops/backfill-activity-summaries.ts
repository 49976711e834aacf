/**
 * Ops: give the activities recorded before activity summaries existed their summary, and slim the
 * feed entries that copied whole activities (docs/adr/0017-activity-summaries.md). Run once right
 * after deploying the release that introduced summaries; running it again changes nothing.
 *
 *   npm run -s backfill-activity-summaries -- --table <table> [--segments 4] [--endpoint http://127.0.0.1:8000]
 *
 * `--segments N` runs N segments of a parallel Scan concurrently. `--endpoint` points at DynamoDB
 * Local (e.g. the table `npm start` keeps under .astral-local). Prints what it did, as JSON.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../lib/db/client';
import { backfillActivitySummaries, type BackfillReport } from './activity-summary-backfill';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { table: { type: 'string' }, segments: { type: 'string' }, endpoint: { type: 'string' } } });
  const segments = Number(values.segments ?? '1');
  if (!values.table || !Number.isInteger(segments) || segments < 1 || segments > 1000) {
    console.error('usage: backfill-activity-summaries --table <table> [--segments 1..1000] [--endpoint <url>]');
    process.exit(2);
  }
  const client = createDocumentClient(values.endpoint);
  const table = values.table;
  const reports = await Promise.all(
    Array.from({ length: segments }, (_, segment) => backfillActivitySummaries(client, table, { segment, totalSegments: segments })),
  );
  const total = reports.reduce<Record<string, number>>((sum, report: BackfillReport) => {
    for (const [key, value] of Object.entries(report)) sum[key] = (sum[key] ?? 0) + value;
    return sum;
  }, {});
  process.stdout.write(`${JSON.stringify(total)}\n`);
  client.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
