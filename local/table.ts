import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { type IndexDesign, TABLE_DESIGN } from '../lib/repositories/table-design';

const keyAttributesOf = (indexes: readonly IndexDesign[]) =>
  [...new Set([TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])])].map(
    (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
  );

const indexOf = (index: IndexDesign): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

/**
 * Creates the single table from TABLE_DESIGN, the definition the stack deploys, with the stream the
 * audit consumer reads. Idempotent: an existing table keeps its items, and gains any index of
 * TABLE_DESIGN it lacks (a table `npm start` created before that index existed), as a deploy adds it.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, ttlAttribute } = TABLE_DESIGN;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributesOf(TABLE_DESIGN.indexes),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_DESIGN.indexes.map(indexOf),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  for (const index of await addMissingIndexes(client, tableName)) await waitForActiveIndex(client, tableName, index);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
    );
  } catch (error) {
    // Enabling TTL twice is a ValidationException ("already enabled"); that is the idempotent case.
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}

/** How long an added index may take to become ACTIVE: DynamoDB Local takes ~1 s idle, and over 30 s seen under a test run's load. */
const INDEX_ACTIVE_TIMEOUT_MS = 120_000;

/**
 * Creates each index of TABLE_DESIGN the table lacks, one per UpdateTable as DynamoDB allows, and
 * returns their names without waiting for them (createTable waits: queries on a CREATING index fail).
 */
export async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const added: string[] = [];
  for (const index of TABLE_DESIGN.indexes) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keyAttributesOf([index]),
        GlobalSecondaryIndexUpdates: [{ Create: indexOf(index) }],
      }),
    );
    added.push(index.name);
  }
  return added;
}

async function waitForActiveIndex(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  const deadline = Date.now() + INDEX_ACTIVE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === indexName)?.IndexStatus === 'ACTIVE') return;
    await sleep(200);
  }
  throw new Error(`index ${indexName} of table ${tableName} was not ACTIVE within ${INDEX_ACTIVE_TIMEOUT_MS / 1000} s`);
}

/** The ARN of the table's current stream (DynamoDB Local creates it with the table). */
export async function latestStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = out.Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${tableName} has no stream`);
  return arn;
}
