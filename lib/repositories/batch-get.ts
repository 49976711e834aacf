import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';

/** DynamoDB's BatchGetItem limit. */
export const BATCH_GET_LIMIT = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads keys in ⌈N/100⌉ BatchGetItem calls; unprocessed keys (throttling, 16 MB responses) are
 * retried with backoff, which only costs extra calls when DynamoDB asked for them.
 */
export async function batchGetItems(
  client: DocumentClient,
  table: string,
  keys: readonly Record<string, string>[],
  options: { consistent: boolean },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= 6) throw new Error('batch get left unprocessed keys after retries');
      if (attempt > 0) await sleep(Math.random() * 25 * 2 ** attempt);
      const out: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: options.consistent } } }),
      );
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}
