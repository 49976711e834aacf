/**
 * Ops: replay the stream batches the consumers dead-lettered, while the stream still holds them (24 h).
 *
 *   npm run -s redrive [-- --file .astral-local/dead-letters.jsonl]
 *
 * Locally (npm start running, or its data kept) it reads the poller's dead-letter file and the table's
 * stream on DynamoDB Local (DYNAMODB_PORT, default 8000). Each letter's records are re-read from the
 * stream and handed to the consumer's own handler in this process; a letter is marked redriven only
 * when all went through. Running it again redrives nothing twice. Letters past the stream's retention
 * are named, with the pointer to `npm run rebuild` (docs/operations.md).
 * The deployed path (each consumer's SQS on-failure queue) is a DeadLetterSource not written yet
 * (ADR 0024): pointerFromOnFailureRecord already reads its message body.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_TABLE_NAME } from '../lib/config/table';
import { fail, parseArgs } from '../local/cli-args';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local';
import { applyLocalEnvironment } from '../local/environment';
import { localDataPath } from '../local/paths';
import { invokeConsumer, stackConsumers } from '../local/stream-consumers';
import { describeResult, LocalDeadLetterFile, redriveDeadLetters } from './stream-redrive';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['file']);
  if (args.flags.size > 0 || args.positionals.length > 0) fail('usage: npm run -s redrive [-- --file <dead-letters.jsonl>]', 2);
  const file = args.values.get('file') ?? localDataPath('dead-letters.jsonl');
  const endpoint = `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? '8000'}`;
  // The consumers' handlers read their table and endpoint from the environment when first imported.
  applyLocalEnvironment({ tableName: LOCAL_TABLE_NAME, dynamoDbEndpoint: endpoint, jwksUrl: 'http://127.0.0.1/unused' });
  const config = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const streams = new DynamoDBStreamsClient(config);
  const dynamodb = new DynamoDBClient(config);
  try {
    const results = await redriveDeadLetters({
      source: new LocalDeadLetterFile(file),
      streams,
      dynamodb,
      consumers: stackConsumers(),
      invoke: (consumer, records) => invokeConsumer(consumer, records, undefined),
    });
    for (const result of results) process.stderr.write(`${describeResult(result)}\n`);
    const left = results.filter((result) => result.outcome.kind !== 'redriven').length;
    process.stdout.write(`${results.length - left} redriven, ${left} left\n`);
    if (left > 0) process.exitCode = 1;
  } finally {
    streams.destroy();
    dynamodb.destroy();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
