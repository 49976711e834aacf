import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient, tableName } from '@astral/lib/db';
import { ErasureConsumer } from '@astral/lib/erasure';
import { processStreamRecords } from '@astral/lib/streams';

const consumer = new ErasureConsumer(documentClient(), tableName());

/** Runs erasure jobs (ADR 0020) one bounded pass per job write; each pass's own write triggers the next. */
export async function handle(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  const remainingMs = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
  return processStreamRecords('erasure', event.Records, (record) => consumer.handle(record, remainingMs), context);
}

export const handler = handle;
