import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';

/** Held for global-teardown, which runs in this same process. */
export const DYNAMODB_LOCAL_GLOBAL = '__astralDynamoDbLocal';

/**
 * Set by tools/run-each-test-alone.ts, which runs jest once per test: it starts one DynamoDB Local
 * for all those runs instead of one JVM per run. Test files create their own tables, so runs never
 * see each other's items.
 */
export const SHARED_DYNAMODB_ENDPOINT = 'ASTRAL_TEST_SHARED_DYNAMODB_ENDPOINT';

/**
 * One DynamoDB Local (in memory, on a free port) for the whole run. Workers start after this and
 * inherit DYNAMODB_ENDPOINT; each test file then creates its own table (tests/support/dynamodb.ts).
 */
export default async function globalSetup(): Promise<void> {
  const shared = process.env[SHARED_DYNAMODB_ENDPOINT];
  if (shared) {
    process.env.DYNAMODB_ENDPOINT = shared;
    return;
  }
  const dynamoDb = await startDynamoDbLocal({ inMemory: true });
  process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
  (globalThis as Record<string, unknown>)[DYNAMODB_LOCAL_GLOBAL] = dynamoDb;
}

export type { DynamoDbLocal };
