/**
 * The command line of an ops tool that passes over the table with a (parallel) Scan:
 * `--table <table> [--segments 1..1000] [--endpoint <url>]`. Runs the segments concurrently, adds up
 * their reports and prints the sum as one JSON line; a usage error exits 2, a failure 1.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient, type DocumentClient } from '../lib/db/client';

export type SegmentedPass<Report extends Record<string, number>> = (
  client: DocumentClient,
  table: string,
  segment: { segment: number; totalSegments: number },
) => Promise<Report>;

export async function runSegmentedScan<Report extends Record<string, number>>(command: string, pass: SegmentedPass<Report>): Promise<void> {
  try {
    const { values } = parseArgs({ options: { table: { type: 'string' }, segments: { type: 'string' }, endpoint: { type: 'string' } } });
    const segments = Number(values.segments ?? '1');
    if (!values.table || !Number.isInteger(segments) || segments < 1 || segments > 1000) {
      console.error(`usage: ${command} --table <table> [--segments 1..1000] [--endpoint <url>]`);
      process.exit(2);
    }
    const client = createDocumentClient(values.endpoint);
    const table = values.table;
    const reports = await Promise.all(
      Array.from({ length: segments }, (_, segment) => pass(client, table, { segment, totalSegments: segments })),
    );
    const total: Record<string, number> = {};
    for (const report of reports) for (const [key, value] of Object.entries(report)) total[key] = (total[key] ?? 0) + value;
    process.stdout.write(`${JSON.stringify(total)}\n`);
    client.destroy();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
