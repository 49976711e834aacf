import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { keys } from './keys';
import { INDEXES } from './table-design';

/** One of a user's ties to an organization, as the `by-user` index holds it (member, coach or head-coach link). */
export interface UserTie {
  readonly entity?: string;
  readonly org_id?: string;
  readonly status?: string;
  readonly consent?: string;
}

/**
 * Every tie of a user, through the `by-user` index (docs/data-model.md pattern 10b), all pages. The
 * index lags writes a moment, so it only nominates: its caller, the feed projector, uses it to decide
 * where an activity's entries are stored; reads that decide access relate through profile ties.
 */
export async function queryUserTies(client: DocumentClient, table: string, userId: string): Promise<UserTie[]> {
  const ties = keys.tiesOfUser(userId);
  const found: UserTie[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEXES.byUser,
        KeyConditionExpression: 'user_pk = :pk AND begins_with(user_sk, :org)',
        ExpressionAttributeValues: { ':pk': ties.user_pk, ':org': ties.user_skPrefix },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    found.push(...((out.Items ?? []) as UserTie[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return found;
}
