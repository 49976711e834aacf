import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { instrumentClient, newInvocation, withInvocation } from '../../../bench/dynamo-recorder';
import { ItemSizer, itemBytes } from '../../../bench/transaction-units';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb-local';
import { createTestTable, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * The bench bills a transaction as AWS does (two write units per 1 KB of each item, the larger of its
 * images before and after), not as DynamoDB Local reports it.
 */
let table: string;
let client: DynamoDBDocumentClient;
let sizer: ItemSizer;

beforeAll(async () => {
  table = await createTestTable('txunits');
  const config = { endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  // A client of its own: instrumenting is for good, and other tests share the support client.
  client = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  sizer = new ItemSizer(config);
  instrumentClient(client, sizer);
});

afterAll(() => {
  sizer.destroy();
  client.destroy();
});

async function writeUnitsOf(items: TransactWriteCommandInput['TransactItems']): Promise<number> {
  const invocation = newInvocation('test');
  await withInvocation(invocation, () => client.send(new TransactWriteCommand({ TransactItems: items })));
  return invocation.calls.reduce((sum, call) => sum + call.writeUnits, 0);
}

test('an item is sized by its attribute names and values', () => {
  expect(itemBytes({ pk: { S: 'abc' } })).toBe(2 + 3);
  expect(itemBytes({ flag: { BOOL: true }, none: { NULL: true } })).toBe(4 + 1 + 4 + 1);
  // Numbers: about a byte per two significant digits, plus one.
  expect(itemBytes({ n: { N: '12345' } })).toBe(1 + 4);
  // A map or list: 3 bytes, plus a byte per element.
  expect(itemBytes({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + 1 + 1 + 2);
  expect(itemBytes({ l: { L: [{ S: 'xy' }, { S: 'z' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
});

test('three small items: two units each, where DynamoDB Local reports 4 for the whole transaction', async () => {
  const put = (sk: string) => ({ Put: { TableName: table, Item: { pk: 'SMALL', sk, data: 'x'.repeat(100) } } });
  expect(await writeUnitsOf([put('a'), put('b'), put('c')])).toBe(6);
});

test('each item is billed at its own size, and an update at the larger of its images', async () => {
  await client.send(
    new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: 'BIG', sk: 'p', data: 'x'.repeat(1500) } } }] }),
  );
  const units = await writeUnitsOf([
    { Put: { TableName: table, Item: { pk: 'BIG', sk: 'a', data: 'x'.repeat(2500) } } },
    { Put: { TableName: table, Item: { pk: 'BIG', sk: 'b', data: 'x'.repeat(100) } } },
    // 1.5 KB before, a few bytes after: billed at 2 units.
    {
      Update: { TableName: table, Key: { pk: 'BIG', sk: 'p' }, UpdateExpression: 'REMOVE #d', ExpressionAttributeNames: { '#d': 'data' } },
    },
  ]);
  expect(units).toBe(2 * (3 + 1 + 2));
});
