/**
 * Ops: give every member item the ids of the groups holding it (docs/adr/0028-member-groups.md), so
 * the leaderboard projector ranks members on their groups' boards and a removal takes them out of
 * every group. Run once right after deploying the release that added it; running it again changes
 * nothing.
 *
 *   npm run -s backfill-group-index -- --table <table> [--segments 4] [--endpoint http://127.0.0.1:8000]
 *
 * `--segments N` runs N segments of a parallel Scan concurrently. `--endpoint` points at DynamoDB
 * Local (e.g. the table `npm start` keeps under .astral-local). Prints what it did, as JSON.
 */
import { backfillGroupIndex } from './group-index-backfill';
import { runSegmentedScan } from './segmented-scan';

await runSegmentedScan('backfill-group-index', backfillGroupIndex);
