import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_LIMIT = 25;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type WriteRequest =
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

/**
 * Puts and deletes in ⌈N/25⌉ BatchWriteItem calls; unprocessed requests (throttling) are retried with
 * backoff, as batchGetItems retries unprocessed keys, and a batch still unprocessed after the retries
 * fails the caller instead of spinning against a throttled table.
 */
export async function batchWriteItems(client: DocumentClient, table: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: readonly WriteRequest[] | undefined = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= 6) throw new Error('batch write left unprocessed requests after retries');
      if (attempt > 0) await sleep(Math.random() * 25 * 2 ** attempt);
      const out: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: { [table]: [...pending] } }));
      pending = out.UnprocessedItems?.[table] as WriteRequest[] | undefined;
    }
  }
}
