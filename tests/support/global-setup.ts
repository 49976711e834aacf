import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';

/** Held for global-teardown, which runs in this same process. */
export const DYNAMODB_LOCAL_GLOBAL = '__astralDynamoDbLocal';

/**
 * One DynamoDB Local (in memory, on a free port) for the whole run. Workers start after this and
 * inherit DYNAMODB_ENDPOINT; each test file then creates its own table (tests/support/dynamodb.ts).
 */
export default async function globalSetup(): Promise<void> {
  const dynamoDb = await startDynamoDbLocal({ inMemory: true });
  process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
  (globalThis as Record<string, unknown>)[DYNAMODB_LOCAL_GLOBAL] = dynamoDb;
}

export type { DynamoDbLocal };
