/**
 * Ops: give the leaderboard entries written before entries expired (docs/adr/0030-board-entries-expire.md)
 * their `expires_at`, so the table's TTL reclaims the entries of ended weeks, months and years. Run
 * once after deploying that release, whenever suits (nothing reads those entries); running it again
 * changes nothing.
 *
 *   npm run -s backfill-board-expiry -- --table <table> [--segments 4] [--endpoint http://127.0.0.1:8000]
 *
 * `--segments N` runs N segments of a parallel Scan concurrently. `--endpoint` points at DynamoDB
 * Local (e.g. the table `npm start` keeps under .astral-local). Prints what it did, as JSON.
 */
import { backfillBoardExpiry } from './board-expiry-backfill';
import { runSegmentedScan } from './segmented-scan';

await runSegmentedScan('backfill-board-expiry', backfillBoardExpiry);
