import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { processStreamBatch } from '@astral/lib/audit';
import { AuditLogRepository } from '@astral/lib/repositories';
import { documentClient, tableName } from '@astral/lib/db';

const auditLog = new AuditLogRepository(documentClient(), tableName());

/** Turns the table's item changes into audit events (api.md "Audit log events"). */
export async function handle(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  return processStreamBatch(event.Records, (auditEvent) => auditLog.write(auditEvent), context);
}

export const handler = handle;
