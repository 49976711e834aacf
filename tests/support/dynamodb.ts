import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local';
import { createTable } from '../../local/table';
import { keys } from '../../lib/repositories/keys';

/** The run's DynamoDB Local, started once by tests/support/global-setup.ts. */
export function testDynamoDbEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run tests through jest, whose global setup starts DynamoDB Local');
  return endpoint;
}

let client: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

export function testDynamoDbClient(): DynamoDBClient {
  client ??= new DynamoDBClient({ endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return client;
}

/** Same marshalling options as lib/db's client, so tests read and write items the way the code does. */
export function testDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(testDynamoDbClient(), { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/**
 * A fresh table with the stack's design (keys, GSIs, stream, TTL) and a unique name, so test files
 * sharing the one DynamoDB Local never see each other's items.
 */
export async function createTestTable(prefix = 'test'): Promise<string> {
  const name = `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
  await createTable(testDynamoDbClient(), name);
  return name;
}

/**
 * Puts many items into a test table as fast as DynamoDB Local takes them: batches of 25, 16 batches
 * at a time, each retried with what it left unprocessed. For seeding large organizations, not for
 * anything under test.
 */
export async function putItems(table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  const client = testDocumentClient();
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(
      batches.slice(i, i + 16).map(async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (out.UnprocessedItems?.[table] ?? []).flatMap((request) =>
            request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
          );
        }
      }),
    );
  }
}

/** An active member who accepted, as members-add and the athlete's answer leave the member item, for tests that seed directly. */
export function memberItem(orgId: string, userId: string, extra: Record<string, unknown> = {}) {
  return {
    ...keys.member(orgId, userId),
    entity: 'member',
    org_id: orgId,
    user_id: userId,
    status: 'active',
    consent: 'accepted',
    ...extra,
  };
}

/**
 * A live training group's item as GroupRepository lays it out, for tests that seed groups directly
 * (the API would take two calls per member). `member_ids` is absent when empty: DynamoDB has no empty sets.
 */
export function groupItem(orgId: string, groupId: string, members: readonly string[], extra: Record<string, unknown> = {}) {
  return {
    ...keys.group(orgId, groupId),
    entity: 'group',
    status: 'active',
    org_id: orgId,
    group_id: groupId,
    name: groupId,
    ...(members.length > 0 ? { member_ids: new Set(members) } : {}),
    ...extra,
  };
}

/** A user's leaderboard entries (every board they are on), read strongly from their partition. */
export async function boardEntriesOf(table: string, userId: string): Promise<Record<string, unknown>[]> {
  const range = keys.boardEntriesOf(userId);
  const out = await testDocumentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': range.pk, ':prefix': range.skPrefix },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}
