import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../lib/repositories/table-design';

type IndexDesign = (typeof TABLE_DESIGN.indexes)[number];

const indexDefinition = (index: IndexDesign): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

const attributeDefinitions = (names: readonly string[]) =>
  [...new Set(names)].map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));

/**
 * Creates the single table from TABLE_DESIGN, the definition the stack deploys, with the stream the
 * audit consumer reads. Idempotent: an existing table keeps its items, and gains the indexes the
 * design added since it was created (a developer's `.astral-local` outlives releases; without them
 * the leaderboard's board indexes would be a 500 until they deleted their data).
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, indexes, ttlAttribute } = TABLE_DESIGN;
  const keyAttributes = [partitionKey, sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(keyAttributes),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map(indexDefinition),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  await addMissingIndexes(client, tableName);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
    );
  } catch (error) {
    // Enabling TTL twice is a ValidationException ("already enabled"); that is the idempotent case.
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}

/** One UpdateTable per index the table lacks (DynamoDB creates one index per call), each awaited. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of TABLE_DESIGN.indexes) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
    await untilIndexesActive(client, tableName);
  }
}

/**
 * DynamoDB builds a new index after UpdateTable returns and takes one index change per table at a
 * time, so each creation waits until no index is still building (the table itself stays ACTIVE).
 */
async function untilIndexesActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const building = (described.Table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus !== 'ACTIVE');
    if (!building) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the indexes of ${tableName} are still being built after 60 s`);
}

/** The ARN of the table's current stream (DynamoDB Local creates it with the table). */
export async function latestStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = out.Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${tableName} has no stream`);
  return arn;
}
