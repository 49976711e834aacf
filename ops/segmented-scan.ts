/**
 * The ops tools that pass over the whole table once (the backfills): one segment of a parallel Scan
 * at a time, and their command line. Ops may Scan; no request path does.
 */
import { parseArgs } from 'node:util';
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type DocumentClient } from '../lib/db/client';

/** Which part of a parallel Scan a pass reads: all of it by default. */
export interface ScanSegment {
  readonly segment: number;
  readonly totalSegments: number;
}

export const WHOLE_TABLE: ScanSegment = { segment: 0, totalSegments: 1 };

/** What the Scan keeps: its filter, names, values and projection (the table and paging are the pass's). */
export type ScanFilter = Pick<
  ScanCommandInput,
  'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues' | 'ProjectionExpression'
>;

/** Every item of one segment the filter keeps, page by page, each visited (and awaited) in turn. */
export async function forEachScanned(
  client: DocumentClient,
  table: string,
  segment: ScanSegment,
  filter: ScanFilter,
  visit: (item: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment.segment,
        TotalSegments: segment.totalSegments,
        ...filter,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) await visit(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * The command line of such a tool: `--table <table> [--segments 1..1000] [--endpoint <url>]`. Runs
 * the segments concurrently, adds up their reports and prints the sum as one JSON line; a usage error
 * exits 2, a failure 1.
 */

export type SegmentedPass<Report extends Record<string, number>> = (
  client: DocumentClient,
  table: string,
  segment: ScanSegment,
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
