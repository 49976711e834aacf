import type { Context, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { log, withLambdaContext } from '../logging';

/** Handles one stream record; returns how many items it wrote (for the batch log line). */
export type HandleStreamRecord = (record: DynamoDBRecord) => Promise<number>;

function itemKey(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys;
  return `${keys?.pk?.S ?? ''}|${keys?.sk?.S ?? ''}`;
}

/**
 * Processes a batch in order. A failed record is reported (partial batch response) and every later
 * record of the SAME item is held back with it, so one item's changes are never applied out of order;
 * records of other items still land. The mapping retries from the lowest failed sequence number, so
 * handlers must be idempotent (conditional or put-by-key writes) for re-delivered successes.
 */
export async function processStreamRecords(
  consumer: string,
  records: readonly DynamoDBRecord[],
  handle: HandleStreamRecord,
  context?: Context,
): Promise<DynamoDBBatchResponse> {
  withLambdaContext(context);
  const failedItems = new Set<string>();
  const batchItemFailures: { itemIdentifier: string }[] = [];
  let written = 0;
  for (const record of records) {
    const key = itemKey(record);
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    if (failedItems.has(key)) {
      batchItemFailures.push({ itemIdentifier: sequence });
      continue;
    }
    try {
      written += await handle(record);
    } catch (error) {
      failedItems.add(key);
      batchItemFailures.push({ itemIdentifier: sequence });
      log('error', `${consumer} record failed`, {
        event_id: record.eventID,
        sequence,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  log('info', `${consumer} batch`, { records: records.length, written, failed: batchItemFailures.length });
  return { batchItemFailures };
}
