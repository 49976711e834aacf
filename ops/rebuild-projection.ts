/**
 * Ops: rebuild a projection from the table, for when the stream no longer holds what was lost (24 h).
 *
 *   npm run -s rebuild -- --projection feed|leaderboard|audit-gaps [--user <user_id>] [--from <cursor>]
 *                         [--page-size 100] [--pause-ms 200]
 *
 * Locally it works on DynamoDB Local (DYNAMODB_PORT, default 8000), table astral-local. It scans the
 * table page by page (an ops tool, not a request path), pausing between pages so it leaves the table's
 * capacity to the API, and prints `cursor <c>` after each page: pass it as --from to resume.
 * audit-gaps rebuilds nothing: see docs/operations.md and ADR 0024.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE_NAME } from '../lib/config/table';
import { fail, parseArgs } from '../local/cli-args';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local';
import { applyLocalEnvironment } from '../local/environment';
import { invokeConsumer, stackConsumers } from '../local/stream-consumers';
import { REBUILDABLE, rebuildProjection, type RebuildableProjection } from './projection-rebuild';

const USAGE =
  'usage: npm run -s rebuild -- --projection feed|leaderboard|audit-gaps [--user <user_id>] [--from <cursor>] [--page-size <n>] [--pause-ms <ms>]';

const AUDIT_GAPS = `audit-gaps: nothing to rebuild. An audit event is derived from one stream record: who made the change
and what it was before and after. Once the stream has trimmed the record (24 h), the table holds only the
item as it is now; an event made from it would be invented. Dead letters still within 24 h: npm run redrive.
Past that, the gap is known from the dead letters themselves (consumer audit-log, their time and sequence
range): record it as an incident (docs/operations.md, "Rebuilding a projection").`;

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a whole number, got ${raw}`, 2);
  return value;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['projection', 'user', 'from', 'page-size', 'pause-ms']);
  if (args.flags.size > 0 || args.positionals.length > 0) fail(USAGE, 2);
  const projection = args.values.get('projection');
  if (projection === 'audit-gaps') {
    process.stdout.write(`${AUDIT_GAPS}\n`);
    return;
  }
  if (projection !== 'feed' && projection !== 'leaderboard') fail(`--projection must be feed, leaderboard or audit-gaps\n${USAGE}`, 2);
  const consumerName = REBUILDABLE[projection as RebuildableProjection];
  const consumer = stackConsumers().find((candidate) => candidate.name === consumerName);
  if (!consumer) fail(`no stream consumer ${consumerName} in functions/manifest.ts`);
  const endpoint = `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? '8000'}`;
  applyLocalEnvironment({ tableName: LOCAL_TABLE_NAME, dynamoDbEndpoint: endpoint, jwksUrl: 'http://127.0.0.1/unused' });
  const dynamodb = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const userId = args.values.get('user');
  const from = args.values.get('from');
  try {
    const result = await rebuildProjection({
      dynamodb,
      table: LOCAL_TABLE_NAME,
      consumer,
      invoke: (target, records) => invokeConsumer(target, records, undefined),
      ...(userId ? { userId } : {}),
      ...(from ? { from } : {}),
      pageSize: positive('page-size', args.values.get('page-size'), 100),
      pauseMs: positive('pause-ms', args.values.get('pause-ms'), 200),
      onPage: (progress) =>
        process.stderr.write(`scanned ${progress.scanned}, delivered ${progress.delivered}, cursor ${progress.cursor ?? '(done)'}\n`),
    });
    process.stdout.write(`${projection}: ${result.scanned} item(s) scanned, ${result.delivered} projected, ${result.failed} failed\n`);
    if (result.failed > 0) process.exitCode = 1;
  } finally {
    dynamodb.destroy();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
