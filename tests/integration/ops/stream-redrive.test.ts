import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb-local';
import { describeResult, LocalDeadLetterFile, pointerFromOnFailureRecord, redriveDeadLetters } from '../../../ops/stream-redrive';
import { testDynamoDbClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/** Lambda's on-failure record for a DynamoDB stream source, as the SQS message body holds it. */
const onFailureRecord = {
  requestContext: {
    requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:astral-feed-projector',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 6,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-12-02T10:15:00.000Z',
  DDBStreamBatchInfo: {
    shardId: 'shardId-00000001573689847184-864758bb',
    startSequenceNumber: '800000000003126276362',
    endSequenceNumber: '800000000003126276362',
    approximateArrivalOfFirstRecord: '2026-12-02T10:14:02Z',
    approximateArrivalOfLastRecord: '2026-12-02T10:14:02Z',
    batchSize: 1,
    streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/astral/stream/2026-11-01T00:00:00.000',
  },
};

let dir: string;
let streams: DynamoDBStreamsClient;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'astral-redrive-unit-'));
  streams = new DynamoDBStreamsClient({ endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(() => {
  streams.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('pointerFromOnFailureRecord', () => {
  it('reads the shard, range and stream of a deployed on-failure record', () => {
    expect(pointerFromOnFailureRecord('feed-projector', JSON.stringify(onFailureRecord))).toEqual({
      consumer: 'feed-projector',
      streamArn: onFailureRecord.DDBStreamBatchInfo.streamArn,
      shardId: onFailureRecord.DDBStreamBatchInfo.shardId,
      startSequenceNumber: '800000000003126276362',
      endSequenceNumber: '800000000003126276362',
    });
  });

  it('names the missing field of a message that is not a stream batch pointer', () => {
    expect(() => pointerFromOnFailureRecord('feed-projector', JSON.stringify({ requestContext: {} }))).toThrow(
      'DDBStreamBatchInfo.streamArn is missing',
    );
  });
});

describe('redriveDeadLetters', () => {
  it('says a letter whose stream is gone is expired, points to the rebuild, and leaves it pending', async () => {
    const file = join(dir, 'gone.jsonl');
    const letter = {
      consumer: 'feed-projector',
      streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/no-such-table/stream/2026-01-01T00:00:00.000',
      shardId: 'shardId-00000000000000000000-00000000',
      reason: 'function_error',
      attempts: 6,
      eventIDs: ['e1'],
      sequenceNumbers: ['000000000000000000100'],
      at: '2026-12-02T10:00:00.000Z',
    };
    writeFileSync(file, `${JSON.stringify(letter)}\n`);
    const source = new LocalDeadLetterFile(file);
    const run = () =>
      redriveDeadLetters({
        source,
        streams,
        dynamodb: testDynamoDbClient(),
        consumers: [{ name: 'feed-projector', handler: async () => undefined }],
        invoke: async () => undefined,
      });
    const [result] = await run();
    expect(result?.outcome.kind).toBe('expired');
    expect(describeResult(result as NonNullable<typeof result>)).toContain('npm run rebuild');
    expect(await source.pending()).toHaveLength(1);
  });

  it('skips nothing and reads nothing when there is no dead-letter file', async () => {
    expect(await new LocalDeadLetterFile(join(dir, 'none.jsonl')).pending()).toEqual([]);
  });
});
