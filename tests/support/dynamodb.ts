import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local';
import { createTable } from '../../local/table';

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
