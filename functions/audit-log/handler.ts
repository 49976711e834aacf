import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { log } from '@astral/lib/http';

/**
 * Stream consumer for the audit log. This foundation version only acknowledges and counts records
 * (ids, never images); turning item changes into audit events comes with the organizations work.
 */
export async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const entities = new Map<string, number>();
  for (const record of event.Records) {
    const entity = record.dynamodb?.NewImage?.entity?.S ?? record.dynamodb?.OldImage?.entity?.S ?? 'unknown';
    entities.set(entity, (entities.get(entity) ?? 0) + 1);
  }
  log('info', 'stream batch received', { records: event.Records.length, entities: JSON.stringify(Object.fromEntries(entities)) });
  return { batchItemFailures: [] };
}

export const handler = handle;
