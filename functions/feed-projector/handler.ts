import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { FeedProjector } from '@astral/lib/feed';
import { documentClient, tableName } from '@astral/lib/db';
import { processStreamRecords } from '@astral/lib/streams';

const projector = new FeedProjector(documentClient(), tableName());

/** Keeps each organization's feed (FEED#<org_id>) in step with its members' activities. */
export async function handle(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  return processStreamRecords('feed', event.Records, (record) => projector.project(record), context);
}

export const handler = handle;
