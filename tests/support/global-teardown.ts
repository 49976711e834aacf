import type { DynamoDbLocal } from '../../local/dynamodb-local';
import { DYNAMODB_LOCAL_GLOBAL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const dynamoDb = (globalThis as Record<string, unknown>)[DYNAMODB_LOCAL_GLOBAL] as DynamoDbLocal | undefined;
  await dynamoDb?.stop();
}
