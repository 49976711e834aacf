import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, optionalEnv, requireEnv } from '../config/env';

export type DocumentClient = DynamoDBDocumentClient;

/**
 * Builds the document client. Locally DYNAMODB_ENDPOINT points at DynamoDB Local, which accepts any
 * static credentials; in Lambda the default provider chain and region apply.
 */
export function createDocumentClient(endpoint: string | undefined = optionalEnv(ENV.dynamoDbEndpoint)): DocumentClient {
  const base = endpoint
    ? new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
    : new DynamoDBClient({});
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

let shared: DocumentClient | undefined;

/** One client per container: created on first use so a cold start does not pay for unused clients. */
export function documentClient(): DocumentClient {
  shared ??= createDocumentClient();
  return shared;
}

export function tableName(): string {
  return requireEnv(ENV.tableName);
}
