import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../local/table';
import { BOARD_PARTITION_ATTRIBUTE, INDEXES, TABLE_DESIGN } from '../../lib/repositories/table-design';
import { testDocumentClient, testDynamoDbClient } from '../support/dynamodb';

/**
 * A developer's `.astral-local` table outlives releases: `npm start` must bring it up to the design
 * (indexes added since) without losing what it holds.
 */
describe('local table creation on an existing table', () => {
  it('adds the indexes the design gained and keeps the items', async () => {
    const client = testDynamoDbClient();
    const name = `old-design-${process.pid}-${randomBytes(4).toString('hex')}`;
    const { partitionKey, sortKey } = TABLE_DESIGN;
    const byUser = TABLE_DESIGN.indexes.find((index) => index.name === INDEXES.byUser);
    if (!byUser) throw new Error('the design lost its by-user index');
    // The table as an older release created it: only the by-user index.
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, byUser.partitionKey, byUser.sortKey].map((attribute) => ({
          AttributeName: attribute,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: byUser.name,
            KeySchema: [
              { AttributeName: byUser.partitionKey, KeyType: 'HASH' },
              { AttributeName: byUser.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const documents = testDocumentClient();
    await documents.send(new PutCommand({ TableName: name, Item: { pk: 'USER#usr_kept', sk: 'PROFILE', display_name: 'Kept' } }));

    await createTable(client, name);
    await createTable(client, name); // and again: nothing left to add

    const described = await client.send(new DescribeTableCommand({ TableName: name }));
    const present = (described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort();
    expect(present).toEqual(TABLE_DESIGN.indexes.map((index) => index.name).sort());
    const kept = await documents.send(new GetCommand({ TableName: name, Key: { pk: 'USER#usr_kept', sk: 'PROFILE' } }));
    expect(kept.Item?.display_name).toBe('Kept');
    const board = await documents.send(
      new QueryCommand({
        TableName: name,
        IndexName: INDEXES.boardByDistance,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': BOARD_PARTITION_ATTRIBUTE },
        ExpressionAttributeValues: { ':pk': 'BOARD#org_x#ORG#all#all' },
      }),
    );
    expect(board.Items).toEqual([]);
  });
});
