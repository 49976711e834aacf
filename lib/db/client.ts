import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { ENV, optionalEnv, requireEnv } from '../config/env';
import { ServiceUnavailableError } from '../errors';
import { isTableUnavailable } from './unavailable';

export type DocumentClient = DynamoDBDocumentClient;

/**
 * Attempts per DynamoDB call (the SDK's default is 3), and the wait before each retry: full jitter
 * under 200, 400, 800 and 1,600 ms (the SDK's own throttling backoff starts at 1 s and doubles, which
 * past three attempts no longer fits a 10 s function). A call fails for good only after ≤ 3 s of
 * trying; the client then gets a 503 with `Retry-After` and retries itself. A table failing one call
 * in five fails a call for good about once in 3,000 (0.2⁵): tests/e2e/unavailable.test.ts measures
 * what that means per request. The SDK's retry quota (a token bucket per client) still stops a
 * container from retrying into a table that is down for good.
 */
export const DYNAMODB_MAX_ATTEMPTS = 5;
const RETRY_DELAY_CAP_MS = 1_600;
const retryDelayMs = (attempt: number): number => Math.floor(Math.random() * Math.min(RETRY_DELAY_CAP_MS, 100 * 2 ** attempt));

const retryStrategy = (): ConfiguredRetryStrategy => new ConfiguredRetryStrategy(DYNAMODB_MAX_ATTEMPTS, retryDelayMs);

/**
 * Outermost middleware (after the SDK's retries): a throttled or unreachable table becomes our
 * retryable 503 (lib/errors ServiceUnavailableError) instead of an unknown error and a 500. Every
 * other error, conditional-check failures and cancelled transactions included, passes through as is.
 */
function withUnavailableAsDomainError(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isTableUnavailable(error)) throw new ServiceUnavailableError();
        throw error;
      }
    },
    { step: 'initialize', name: 'astralTableUnavailable', priority: 'high' },
  );
  return client;
}

/**
 * Builds the document client. Locally DYNAMODB_ENDPOINT points at DynamoDB Local, which accepts any
 * static credentials; in Lambda the default provider chain and region apply.
 */
export function createDocumentClient(endpoint: string | undefined = optionalEnv(ENV.dynamoDbEndpoint)): DocumentClient {
  const base = endpoint
    ? new DynamoDBClient({
        endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        retryStrategy: retryStrategy(),
      })
    : new DynamoDBClient({ retryStrategy: retryStrategy() });
  return DynamoDBDocumentClient.from(withUnavailableAsDomainError(base), { marshallOptions: { removeUndefinedValues: true } });
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
