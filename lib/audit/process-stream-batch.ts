import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { log } from '../http/logger';
import { auditEventsFromRecord, type AuditEvent } from './events';

export type WriteAuditEvent = (event: AuditEvent) => Promise<boolean>;

function itemKey(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys;
  return `${keys?.pk?.S ?? ''}|${keys?.sk?.S ?? ''}`;
}

/**
 * Processes a batch in order. A failed record is reported (partial batch response) and every later
 * record of the SAME item is held back with it, so one item's changes are never applied out of order;
 * records of other items still land. The mapping retries from the lowest failed sequence number, and
 * the conditional writes make the re-delivered successes no-ops.
 */
export async function processStreamBatch(records: readonly DynamoDBRecord[], write: WriteAuditEvent): Promise<DynamoDBBatchResponse> {
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
      for (const event of auditEventsFromRecord(record)) if (await write(event)) written += 1;
    } catch (error) {
      failedItems.add(key);
      batchItemFailures.push({ itemIdentifier: sequence });
      log('error', 'audit record failed', { event_id: record.eventID, sequence, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  log('info', 'audit batch', { records: records.length, written, failed: batchItemFailures.length });
  return { batchItemFailures };
}
