import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../functions/manifest';
import { issueAppKey } from '../lib/auth/issue-app-key';
import { documentClient } from '../lib/db/client';
import { AppKeyRepository } from '../lib/repositories/app-key-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local';
import { now } from '../lib/clock';
import { startLocalGateway, type LocalGateway } from '../local/gateway';
import { loadHandler } from '../local/handler-loader';
import { lambdaContext } from '../local/lambda-context';
import { generateSigningKey, signLocalToken, type LocalTokenOptions, type SigningKey } from '../local/signing-key';
import { STACK_STREAM_FILTERS } from '../local/stream-filters';
import { startStreamPoller, type StreamPoller } from '../local/stream-poller';
import { createTable } from '../local/table';
import { ItemSizer } from './transaction-units';
import { instrumentClient, newInvocation, withInvocation, type Invocation } from './dynamo-recorder';

/** One stream consumer invocation: how many records it got and what it did to the table. */
export interface ConsumerInvocation {
  readonly consumer: string;
  readonly records: number;
  readonly invocation: Invocation;
  /** Wall time of the invocation, on DynamoDB Local. */
  wallMs: number;
}

export interface BenchStack {
  readonly tableName: string;
  readonly dynamoDbEndpoint: string;
  /** The local gateway (HTTP, for end-to-end latency); it also serves the JWKS the authorizer trusts. */
  readonly gateway: LocalGateway;
  readonly signingKey: SigningKey;
  token(userId: string, options?: LocalTokenOptions): Promise<string>;
  appKey(name: string): Promise<string>;
  /**
   * Runs `work`, then waits until the stream consumers have handled every record written so far, and
   * returns the consumer invocations that happened meanwhile (the audit cost of a write).
   */
  collectConsumers<T>(work: () => Promise<T>): Promise<{ result: T; consumers: ConsumerInvocation[] }>;
  /** Stops the stream consumers (before bulk seeding, whose records nobody needs audited). */
  stopStreams(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stack for measuring: a fresh table on the given DynamoDB Local, the local gateway (which
 * puts the same environment in place as `npm start`), and the stream poller feeding the real
 * consumers through a wrapper that attributes their DynamoDB calls to the request that caused them.
 * The shared document client is instrumented (operation, consistency, consumed capacity, raw exchange).
 */
export async function startBenchStack(dynamoDbEndpoint: string, prefix = 'bench'): Promise<BenchStack> {
  const tableName = `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const admin = new DynamoDBClient({ endpoint: dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await createTable(admin, tableName);
  admin.destroy();

  process.env.ASTRAL_QUIET ??= 'true';
  const signingKey = await generateSigningKey();
  const logs: string[] = [];
  const gateway = await startLocalGateway({
    port: 0,
    tableName,
    dynamoDbEndpoint,
    signingKey,
    log: (line) => void logs.push(line),
    // lib/clock, as the handlers and the authorizer read it: bench/authorizer-cache.ts steps it past TTLs.
    clock: () => now().getTime(),
  });
  // The gateway has put the environment in place: the shared client now points at DynamoDB Local.
  const sizer = new ItemSizer({ endpoint: dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  instrumentClient(documentClient(), sizer);

  let collecting: ConsumerInvocation[] | undefined;
  let streaming = true;
  const consumers = STREAM_CONSUMERS.map((consumer) => ({
    name: consumer.name,
    filters: STACK_STREAM_FILTERS[consumer.name] ?? [],
    handler: async (event: DynamoDBStreamEvent) => {
      const handler = await loadHandler(consumer.entry);
      const invocation = newInvocation(consumer.name);
      const record: ConsumerInvocation = { consumer: consumer.name, records: event.Records.length, invocation, wallMs: 0 };
      collecting?.push(record);
      const started = performance.now();
      try {
        return (await withInvocation(invocation, () =>
          handler(event as never, lambdaContext(consumer.name, 30_000) as never),
        )) as undefined;
      } finally {
        record.wallMs = performance.now() - started;
      }
    },
  }));
  const poller: StreamPoller = await startStreamPoller({
    tableName,
    dynamoDbEndpoint,
    consumers,
    pollIntervalMs: 100,
    log: (line) => void logs.push(line),
  });
  const appKeys = new AppKeyRepository(documentClient(), tableName);

  return {
    tableName,
    dynamoDbEndpoint,
    gateway,
    signingKey,
    token: (userId, options) => signLocalToken(signingKey, userId, options),
    appKey: async (name) => (await issueAppKey(appKeys, { name })).key,
    async collectConsumers(work) {
      const mine: ConsumerInvocation[] = [];
      collecting = mine;
      try {
        const result = await work();
        if (streaming) await poller.drain();
        return { result, consumers: mine };
      } finally {
        collecting = undefined;
      }
    },
    stopStreams: () => {
      streaming = false;
      return poller.stop();
    },
    async stop() {
      await poller.stop();
      await gateway.stop();
      sizer.destroy();
    },
  };
}
