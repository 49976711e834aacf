import type { FunctionDefinition, RouteDefinition } from '../../functions/manifest';
import { issueAppKey } from '../../lib/auth/issue-app-key';
import { now, pinClock } from '../../lib/clock';
import { createDocumentClient } from '../../lib/db/client';
import { AppKeyRepository } from '../../lib/repositories/app-key-repository';
import { startLocalGateway } from '../../local/gateway';
import { generateSigningKey, signLocalToken, type LocalTokenOptions, type SigningKey } from '../../local/signing-key';
import { startStreamPoller, type DeadLetter, type StreamConsumer } from '../../local/stream-poller';
import { createTestTable, testDynamoDbEndpoint } from './dynamodb';
import { httpClient, type HttpClient } from './http';

export interface TestStack {
  /** Base URL of the in-process gateway, e.g. http://127.0.0.1:40123 (paths include /api/v1). */
  readonly url: string;
  readonly tableName: string;
  readonly http: HttpClient;
  /** A bearer token the stack's authorizer accepts (same issuer, audience and admin claim as npm start). */
  token(userId: string, options?: LocalTokenOptions): Promise<string>;
  /** The key the stack's JWKS publishes, for tests that craft tokens the issuer would never sign. */
  readonly signingKey: SigningKey;
  /** A new app key, stored (as its hash) in this stack's table. */
  appKey(name: string, options?: { orgId?: string }): Promise<string>;
  /** Waits until every stream record written so far has reached the stream consumers. */
  drainStreams(): Promise<void>;
  /** Records the stream consumers gave up on (ids only). */
  readonly deadLetters: readonly DeadLetter[];
  /**
   * Fixes what "now" is for the stack's handlers (lib/clock.ts: the leaderboard's current week, month
   * and year), so a test does not depend on the date it runs; `undefined` goes back to the system
   * clock, as does `stop()`. The handlers run in this process, on the test file's own module registry.
   * The gateway's authorizer cache counts its TTLs on the same clock, so pinning it later steps past them.
   */
  pinClock(at: Date | undefined): void;
  /** How many times the gateway has run the authorizer: a cache hit does not (ADR 0014). */
  authorizerInvocations(): number;
  /** The gateway's and poller's log lines, kept out of the test output but there to inspect. */
  readonly logs: readonly string[];
  stop(): Promise<void>;
}

export interface TestStackOptions {
  readonly routes?: readonly RouteDefinition[];
  readonly authorizer?: FunctionDefinition;
  readonly consumers?: readonly StreamConsumer[];
  /**
   * Where the stack's functions, authorizer and stream consumers reach DynamoDB, when not the run's
   * DynamoDB Local directly (e.g. tests/support/flaky-dynamodb.ts in front of it). The test's own
   * helpers (app keys, table setup) still use DynamoDB Local directly.
   */
  readonly dynamoDbEndpoint?: string;
  /** The poller's on-failure destination file (JSON lines, as npm start writes it) and retry count. */
  readonly deadLetterFile?: string;
  readonly maxRetries?: number;
}

/**
 * The local stack in-process, on a fresh table and a free port: the manifest's routes behind the real
 * authorizer, and the table's stream feeding the real consumers. One per test file: handlers read
 * process.env when first imported, and jest keeps one module registry per file.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dynamoDbEndpoint = testDynamoDbEndpoint();
  const tableName = await createTestTable('stack');
  const signingKey = await generateSigningKey();
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
  };
  // Handler request logs would bury test failures; errors and warnings still print.
  process.env.ASTRAL_QUIET ??= 'true';

  const functionsEndpoint = options.dynamoDbEndpoint ?? dynamoDbEndpoint;
  const gateway = await startLocalGateway({
    port: 0,
    tableName,
    dynamoDbEndpoint: functionsEndpoint,
    signingKey,
    log,
    // The one clock of the test: lib/clock, which pinClock moves for the handlers and the authorizer too.
    clock: () => now().getTime(),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
  });
  // The poller stands for Lambda's event source mapping, which AWS runs: it reads the stream directly.
  // The consumers it invokes are our functions, and reach the table where the functions do.
  const poller = await startStreamPoller({
    tableName,
    dynamoDbEndpoint,
    log,
    ...(options.consumers ? { consumers: options.consumers } : {}),
    ...(options.deadLetterFile ? { deadLetterFile: options.deadLetterFile } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
  });
  const documents = createDocumentClient(dynamoDbEndpoint);
  const appKeys = new AppKeyRepository(documents, tableName);

  let stopped: Promise<void> | undefined;
  return {
    url: gateway.url,
    tableName,
    http: httpClient(gateway.url),
    signingKey,
    token: (userId, tokenOptions) => signLocalToken(signingKey, userId, tokenOptions),
    appKey: async (name, keyOptions) =>
      (await issueAppKey(appKeys, { name, ...(keyOptions?.orgId ? { org_id: keyOptions.orgId } : {}) })).key,
    drainStreams: () => poller.drain(),
    pinClock,
    authorizerInvocations: () => gateway.authorizerInvocations(),
    deadLetters: poller.deadLetters,
    logs,
    stop: () =>
      (stopped ??= (async () => {
        pinClock(undefined);
        await poller.stop();
        await gateway.stop();
        documents.destroy();
      })()),
  };
}
