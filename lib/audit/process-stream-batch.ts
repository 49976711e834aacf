import type { Context, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { processStreamRecords } from '../streams/process-stream-records';
import { auditEventsFromRecord, type AuditEvent } from './events';

export type WriteAuditEvent = (event: AuditEvent) => Promise<boolean>;

/** The audit consumer's batch: per record, its audit events, each written exactly once (conditional put). */
export async function processStreamBatch(
  records: readonly DynamoDBRecord[],
  write: WriteAuditEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> {
  return processStreamRecords(
    'audit',
    records,
    async (record) => {
      let written = 0;
      for (const event of auditEventsFromRecord(record)) if (await write(event)) written += 1;
      return written;
    },
    context,
  );
}
