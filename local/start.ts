// npm start [-- --in-memory]: the whole API on http://127.0.0.1:${PORT:-3000}, over DynamoDB Local on
// ${DYNAMODB_PORT:-8000}, with the stream feeding the audit consumer. Prints one `ready <url>` line.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE_NAME } from '../lib/config/table';
import { fail, parseArgs } from './cli-args';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { applyLocalEnvironment } from './environment';
import { JWKS_PATH, startLocalGateway, type LocalGateway } from './gateway';
import { LOCAL_DATA_DIR, localDataPath } from './paths';
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), []);
  const unknown = [...args.flags].filter((flag) => flag !== 'in-memory');
  if (unknown.length > 0 || args.positionals.length > 0) fail('usage: npm start [-- --in-memory]', 2);
  const inMemory = args.flags.has('in-memory');
  const port = portFrom('PORT', 3000);
  const dynamoDbPort = portFrom('DYNAMODB_PORT', 8000);
  const url = `http://${HOST}:${port}`;
  const dynamoDbEndpoint = `http://${HOST}:${dynamoDbPort}`;

  // Handlers read their environment when first imported; the gateway imports them lazily, after this.
  applyLocalEnvironment({ tableName: LOCAL_TABLE_NAME, dynamoDbEndpoint, jwksUrl: `${url}${JWKS_PATH}` });

  let dynamoDb: DynamoDbLocal | undefined;
  let gateway: LocalGateway | undefined;
  let poller: StreamPoller | undefined;
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    await poller?.stop().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await dynamoDb?.stop();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C: stop waiting. The exit hook still kills java.
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal}: stopping`);
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    const signingKey = await loadOrCreateSigningKey();
    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, inMemory, dataDir: localDataPath('dynamodb') });
    console.log(`dynamodb-local ${dynamoDb.endpoint} (${inMemory ? 'in memory' : `data in ${LOCAL_DATA_DIR}/dynamodb`})`);
    const client = new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await createTable(client, LOCAL_TABLE_NAME);
    client.destroy();
    if (stopping) return;
    gateway = await startLocalGateway({ port, host: HOST, tableName: LOCAL_TABLE_NAME, dynamoDbEndpoint, signingKey });
    poller = await startStreamPoller({
      tableName: LOCAL_TABLE_NAME,
      dynamoDbEndpoint,
      deadLetterFile: localDataPath('dead-letters.jsonl'),
      // With kept data, resume where the last run stopped instead of replaying the stream.
      ...(inMemory ? {} : { checkpointFile: localDataPath('stream-checkpoints.json') }),
    });
  } catch (error) {
    await stopAll().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    fail(
      /EADDRINUSE|address already in use|BindException/i.test(message)
        ? `a port is already in use (PORT=${port}, DYNAMODB_PORT=${dynamoDbPort}): is another npm start running?\n${message}`
        : message,
    );
  }
  if (!stopping) console.log(`ready ${gateway.url}`);
}

void main();
