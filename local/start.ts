// npm start [-- --in-memory]: the whole API on http://127.0.0.1:${PORT:-3000}, over DynamoDB Local on
// ${DYNAMODB_PORT:-8000}, with the stream feeding the audit consumer. Prints one `ready <url>` line.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE_NAME } from '../lib/config/table';
import { fail, parseArgs } from './cli-args';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { applyLocalEnvironment } from './environment';
import { JWKS_PATH, startLocalGateway, type LocalGateway } from './gateway';
import { LOCAL_DATA_DIR, localDataPath } from './paths';
import { loadOrCreatePageTokenSecret } from './page-token-secret';
import { loadOrCreateSigningKey } from './signing-key';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import { createTable } from './table';

const HOST = '127.0.0.1';

function portFrom(name: 'PORT' | 'DYNAMODB_PORT', fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number, got ${raw}`, 2);
  return port;
}

interface StartSettings {
  readonly inMemory: boolean;
  readonly port: number;
  readonly dynamoDbPort: number;
  readonly url: string;
  readonly dynamoDbEndpoint: string;
}

function settingsFromCommandLine(): StartSettings {
  const args = parseArgs(process.argv.slice(2), []);
  const unknown = [...args.flags].filter((flag) => flag !== 'in-memory');
  if (unknown.length > 0 || args.positionals.length > 0) fail('usage: npm start [-- --in-memory]', 2);
  const port = portFrom('PORT', 3000);
  const dynamoDbPort = portFrom('DYNAMODB_PORT', 8000);
  return {
    inMemory: args.flags.has('in-memory'),
    port,
    dynamoDbPort,
    url: `http://${HOST}:${port}`,
    dynamoDbEndpoint: `http://${HOST}:${dynamoDbPort}`,
  };
}

const DYNAMODB_RESTART_ATTEMPTS = 3;

/** The same port and data directory every time, so a restarted DynamoDB Local is the same one to its clients. */
const dynamoDbOptions = (settings: StartSettings) => ({
  port: settings.dynamoDbPort,
  inMemory: settings.inMemory,
  dataDir: localDataPath('dynamodb'),
});

/** The pieces of the local stack, started in order and stopped in reverse, by a signal or a failed start. */
class LocalStack {
  private dynamoDb: DynamoDbLocal | undefined;
  private gateway: LocalGateway | undefined;
  private poller: StreamPoller | undefined;
  stopping = false;

  /** The running gateway, or undefined when a signal came before there was one to start. */
  async start(settings: StartSettings): Promise<LocalGateway | undefined> {
    const signingKey = await loadOrCreateSigningKey();
    this.dynamoDb = await startDynamoDbLocal(dynamoDbOptions(settings));
    console.log(`dynamodb-local ${this.dynamoDb.endpoint} (${settings.inMemory ? 'in memory' : `data in ${LOCAL_DATA_DIR}/dynamodb`})`);
    await createLocalTable(this.dynamoDb.endpoint);
    this.supervise(this.dynamoDb, settings);
    if (this.stopping) return undefined;
    const { port, dynamoDbEndpoint } = settings;
    this.gateway = await startLocalGateway({ port, host: HOST, tableName: LOCAL_TABLE_NAME, dynamoDbEndpoint, signingKey });
    this.poller = await startStreamPoller({
      tableName: LOCAL_TABLE_NAME,
      dynamoDbEndpoint,
      deadLetterFile: localDataPath('dead-letters.jsonl'),
      // With kept data, resume where the last run stopped instead of replaying the stream.
      ...(settings.inMemory ? {} : { checkpointFile: localDataPath('stream-checkpoints.json') }),
    });
    return this.gateway;
  }

  /**
   * DynamoDB Local dying (killed, out of memory) would leave every request a 500 until someone
   * restarted npm start by hand: restart it on the same port and data directory instead, so the
   * gateway and poller, which only know the endpoint, carry on. Bounded: after
   * DYNAMODB_RESTART_ATTEMPTS failed starts in a row, stop everything and exit 1 with the reason.
   */
  private supervise(running: DynamoDbLocal, settings: StartSettings): void {
    void running.exited.then(async (reason) => {
      if (this.stopping) return;
      for (let attempt = 1; attempt <= DYNAMODB_RESTART_ATTEMPTS; attempt += 1) {
        console.error(
          `dynamodb-local stopped (${reason}): restarting on port ${settings.dynamoDbPort} (attempt ${attempt} of ${DYNAMODB_RESTART_ATTEMPTS})`,
        );
        try {
          const restarted = await startDynamoDbLocal(dynamoDbOptions(settings));
          if (this.stopping) return void (await restarted.stop());
          this.dynamoDb = restarted;
          // In memory the table went with the process; on disk it is still there (createTable keeps it).
          await createLocalTable(restarted.endpoint);
          console.error(`dynamodb-local restarted ${restarted.endpoint}`);
          this.supervise(restarted, settings);
          return;
        } catch (error) {
          reason = error instanceof Error ? (error.message.split('\n')[0] ?? 'start failed') : String(error);
        }
      }
      console.error(`dynamodb-local could not be restarted (${reason}): stopping`);
      this.stopping = true;
      await this.stop().catch(() => undefined);
      process.exit(1);
    });
  }

  async stop(): Promise<void> {
    await this.poller?.stop().catch(() => undefined);
    await this.gateway?.stop().catch(() => undefined);
    await this.dynamoDb?.stop();
  }
}

async function createLocalTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await createTable(client, LOCAL_TABLE_NAME);
  client.destroy();
}

function stopOnSignals(stack: LocalStack): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stack.stopping) {
      // A second Ctrl-C: stop waiting. The exit hook still kills java.
      process.exit(130);
    }
    stack.stopping = true;
    console.log(`${signal}: stopping`);
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

function startFailureMessage(error: unknown, settings: StartSettings): string {
  const message = error instanceof Error ? error.message : String(error);
  return /EADDRINUSE|address already in use|BindException/i.test(message)
    ? `a port is already in use (PORT=${settings.port}, DYNAMODB_PORT=${settings.dynamoDbPort}): is another npm start running?\n${message}`
    : message;
}

async function main(): Promise<void> {
  const settings = settingsFromCommandLine();
  // Handlers read their environment when first imported; the gateway imports them lazily, after this.
  applyLocalEnvironment({
    tableName: LOCAL_TABLE_NAME,
    dynamoDbEndpoint: settings.dynamoDbEndpoint,
    jwksUrl: `${settings.url}${JWKS_PATH}`,
    pageTokenSecret: loadOrCreatePageTokenSecret({ inMemory: settings.inMemory }),
  });
  const stack = new LocalStack();
  stopOnSignals(stack);
  let gateway: LocalGateway | undefined;
  try {
    gateway = await stack.start(settings);
  } catch (error) {
    await stack.stop().catch(() => undefined);
    fail(startFailureMessage(error, settings));
  }
  if (gateway && !stack.stopping) console.log(`ready ${gateway.url}`);
}

void main();
