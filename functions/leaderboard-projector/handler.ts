import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LeaderboardProjector } from '@astral/lib/leaderboards';
import { documentClient, tableName } from '@astral/lib/db';
import { processStreamRecords } from '@astral/lib/streams';

const projector = new LeaderboardProjector(documentClient(), tableName());

/** Keeps each leaderboard's ranked entries (ADR 0013) in step with profile totals, ties and group membership. */
export async function handle(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  return processStreamRecords('leaderboard', event.Records, (record) => projector.project(record), context);
}

export const handler = handle;
