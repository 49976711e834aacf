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
import { backfillActivitySummaries } from './activity-summary-backfill';
import { runSegmentedScan } from './segmented-scan';

await runSegmentedScan('backfill-activity-summaries', backfillActivitySummaries);
