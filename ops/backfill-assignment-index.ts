/**
 * Ops: give the members assigned to a coach before the `members-by-coach` index existed their index
 * key (docs/adr/0027-assignment-index.md), so removing that coach clears their assignment. Run once
 * right after deploying the release that added the index; running it again changes nothing.
 *
 *   npm run -s backfill-assignment-index -- --table <table> [--segments 4] [--endpoint http://127.0.0.1:8000]
 *
 * `--segments N` runs N segments of a parallel Scan concurrently. `--endpoint` points at DynamoDB
 * Local (e.g. the table `npm start` keeps under .astral-local). Prints what it did, as JSON.
 */
import { backfillAssignmentIndex } from './assignment-index-backfill';
import { runSegmentedScan } from './segmented-scan';

await runSegmentedScan('backfill-assignment-index', backfillAssignmentIndex);
