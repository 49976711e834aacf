import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../../functions/manifest';
import { AUDIT_STREAM_FILTER } from '../../infra/constructs/stream-consumer';
import { AUDIT_SORT_KEY_PREFIX } from '../../lib/repositories/table-design';
import { STACK_STREAM_FILTERS } from '../../local/stream-filters';
import { startStreamPoller, type StreamConsumer, type StreamPoller, type StreamPollerOptions } from '../../local/stream-poller';
import { latestStreamArn } from '../../local/table';
import { createTestTable, testDocumentClient, testDynamoDbClient, testDynamoDbEndpoint } from '../support/dynamodb';

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

const pollers: StreamPoller[] = [];
const logs: string[] = [];

async function poller(
  tableName: string,
  consumer: Handler | StreamConsumer,
  options: Partial<StreamPollerOptions> = {},
): Promise<StreamPoller> {
  const started = await startStreamPoller({
    tableName,
    dynamoDbEndpoint: testDynamoDbEndpoint(),
    consumers: [typeof consumer === 'function' ? { name: 'fixture-consumer', handler: consumer } : consumer],
    retryDelayMs: 1,
    log: (line) => logs.push(line),
    ...options,
  });
  pollers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

const put = (table: string, item: Record<string, unknown>) => testDocumentClient().send(new PutCommand({ TableName: table, Item: item }));
const keyOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.pk?.S ?? '?';

/** Collects every invocation, and what each one received. */
function recorder(decide: (records: DynamoDBRecord[]) => DynamoDBBatchResponse | 'throw' = () => ({ batchItemFailures: [] })) {
  const invocations: DynamoDBRecord[][] = [];
  const succeeded: DynamoDBRecord[] = [];
  const handler: Handler = async (event) => {
    invocations.push(event.Records);
    const outcome = decide(event.Records);
    if (outcome === 'throw') throw new Error('fixture consumer failed');
    const failed = new Set(outcome.batchItemFailures.map((failure) => failure.itemIdentifier));
    succeeded.push(...event.Records.filter((record) => !failed.has(record.dynamodb?.SequenceNumber ?? '')));
    return outcome;
  };
  const deliveriesOf = (key: string): number => invocations.flat().filter((record) => keyOf(record) === key).length;
  return { handler, invocations, succeeded, deliveriesOf };
}

describe('the local stream poller', () => {
  it('delivers every change in write order, in batches, in the exact Lambda record shape', async () => {
    const table = await createTestTable('stream');
    await put(table, { pk: 'ITEM#a', sk: 'ITEM', name: 'first', blob: new Uint8Array([1, 2, 3]) });
    await put(table, { pk: 'ITEM#b', sk: 'ITEM', name: 'second' });
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'ITEM#a', sk: 'ITEM' },
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': 'renamed' },
      }),
    );
    await testDocumentClient().send(new DeleteCommand({ TableName: table, Key: { pk: 'ITEM#b', sk: 'ITEM' } }));

    const consumer = recorder();
    const stream = await poller(table, consumer.handler, { batchSize: 3 });
    await stream.drain();

    const records = consumer.invocations.flat();
    expect(records.map((record) => `${record.eventName} ${keyOf(record)}`)).toEqual([
      'INSERT ITEM#a',
      'INSERT ITEM#b',
      'MODIFY ITEM#a',
      'REMOVE ITEM#b',
    ]);
    expect(consumer.invocations.map((batch) => batch.length)).toEqual([3, 1]);

    const streamArn = await latestStreamArn(testDynamoDbClient(), table);
    for (const record of records) {
      expect(record).toEqual({
        eventID: expect.any(String),
        eventName: expect.stringMatching(/^(INSERT|MODIFY|REMOVE)$/),
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: expect.stringMatching(/.+/),
        eventSourceARN: streamArn,
        dynamodb: expect.objectContaining({
          Keys: { pk: { S: keyOf(record) }, sk: { S: 'ITEM' } },
          SequenceNumber: expect.stringMatching(/^\d+$/),
          SizeBytes: expect.any(Number),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          ApproximateCreationDateTime: expect.any(Number),
        }),
      });
      expect(Number.isInteger(record.dynamodb?.ApproximateCreationDateTime)).toBe(true);
    }
    const [insertA, , modifyA, removeB] = records;
    // Binary attributes arrive base64-encoded, as in Lambda's JSON event.
    expect(insertA?.dynamodb?.NewImage).toEqual({ pk: { S: 'ITEM#a' }, sk: { S: 'ITEM' }, name: { S: 'first' }, blob: { B: 'AQID' } });
    expect(insertA?.dynamodb?.OldImage).toBeUndefined();
    expect(modifyA?.dynamodb?.OldImage?.name).toEqual({ S: 'first' });
    expect(modifyA?.dynamodb?.NewImage?.name).toEqual({ S: 'renamed' });
    expect(removeB?.dynamodb?.OldImage?.name).toEqual({ S: 'second' });
    expect(removeB?.dynamodb?.NewImage).toBeUndefined();
    const sequences = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);

    // drain() also covers writes made after the poller started, and nothing is delivered twice.
    await put(table, { pk: 'ITEM#c', sk: 'ITEM' });
    await stream.drain();
    expect(consumer.invocations.flat().map(keyOf)).toEqual(['ITEM#a', 'ITEM#b', 'ITEM#a', 'ITEM#b', 'ITEM#c']);
    expect(stream.deadLetters).toEqual([]);
  });

  it('retries a partial batch failure from the failed record, then dead-letters it while the rest lands', async () => {
    const table = await createTestTable('stream');
    for (let index = 0; index < 5; index += 1) await put(table, { pk: `ITEM#r${index}`, sk: 'ITEM', note: `private-note-${index}` });
    const consumer = recorder((records) => ({
      batchItemFailures: records
        .filter((record) => keyOf(record) === 'ITEM#r2')
        .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
    }));
    const stream = await poller(table, consumer.handler, { maxRetries: 2 });
    await stream.drain();

    // Before the failure: once. From the failure on: the first attempt plus two retries.
    expect(['ITEM#r0', 'ITEM#r1', 'ITEM#r2', 'ITEM#r3', 'ITEM#r4'].map(consumer.deliveriesOf)).toEqual([1, 1, 3, 3, 3]);
    expect(consumer.invocations.map((batch) => batch.map(keyOf)[0])).toEqual(['ITEM#r0', 'ITEM#r2', 'ITEM#r2']);
    expect([...new Set(consumer.succeeded.map(keyOf))]).toEqual(['ITEM#r0', 'ITEM#r1', 'ITEM#r3', 'ITEM#r4']);

    const poisoned = consumer.invocations[0]?.find((record) => keyOf(record) === 'ITEM#r2');
    expect(stream.deadLetters).toEqual([
      expect.objectContaining({
        consumer: 'fixture-consumer',
        reason: 'partial_batch_failure',
        attempts: 3,
        eventIDs: [poisoned?.eventID],
        sequenceNumbers: [poisoned?.dynamodb?.SequenceNumber],
      }),
    ]);
    const deadLetterLines = logs.filter((line) => line.includes('dead-lettered'));
    expect(deadLetterLines.some((line) => line.includes(poisoned?.eventID ?? 'missing'))).toBe(true);
    expect(logs.join('\n')).not.toContain('private-note');

    // The shard has moved on: a later write arrives once, and the dead-lettered record is not retried.
    await put(table, { pk: 'ITEM#r5', sk: 'ITEM' });
    await stream.drain();
    expect(consumer.deliveriesOf('ITEM#r5')).toBe(1);
    expect(consumer.deliveriesOf('ITEM#r2')).toBe(3);
  });

  it('bisects a batch whose invocation throws, so only the poisoned record is dead-lettered', async () => {
    const table = await createTestTable('stream');
    for (let index = 0; index < 6; index += 1) await put(table, { pk: `ITEM#b${index}`, sk: 'ITEM' });
    const consumer = recorder((records) => (records.some((record) => keyOf(record) === 'ITEM#b3') ? 'throw' : { batchItemFailures: [] }));
    const stream = await poller(table, consumer.handler, { maxRetries: 1 });
    await stream.drain();

    // Every other record lands, in write order; the poisoned one is tried alone, then given up on.
    expect(consumer.succeeded.map(keyOf)).toEqual(['ITEM#b0', 'ITEM#b1', 'ITEM#b2', 'ITEM#b4', 'ITEM#b5']);
    expect(consumer.invocations.filter((batch) => batch.length === 1 && keyOf(batch[0] as DynamoDBRecord) === 'ITEM#b3')).toHaveLength(2);
    expect(stream.deadLetters).toHaveLength(1);
    expect(stream.deadLetters[0]).toMatchObject({ reason: 'function_error', eventIDs: [expect.any(String)] });
    expect(stream.deadLetters[0]?.eventIDs[0]).toBe(consumer.invocations.flat().find((record) => keyOf(record) === 'ITEM#b3')?.eventID);
  });

  it('applies the stack’s filter criteria: audit writes, items outside an organization and removals never reach the audit consumer', async () => {
    const table = await createTestTable('stream');
    const consumer = recorder();
    const stream = await poller(table, { name: 'audit-log', handler: consumer.handler, filters: STACK_STREAM_FILTERS['audit-log'] ?? [] });
    await put(table, { pk: 'ORG#org_1', sk: 'ORG', entity: 'organization', org_id: 'org_1', org_name: 'Summit' });
    await put(table, {
      pk: 'ORG#org_1',
      sk: `${AUDIT_SORT_KEY_PREFIX}2026-01-01T00:00:00Z#evt_1`,
      entity: 'audit_event',
      org_id: 'org_1',
      event_type: 'organization_created',
    });
    await put(table, { pk: 'USER#usr_1', sk: 'PROFILE', entity: 'user', user_id: 'usr_1' });
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'ORG#org_1', sk: 'ORG' },
        UpdateExpression: 'SET org_name = :n',
        ExpressionAttributeValues: { ':n': 'Summit RC' },
      }),
    );
    await testDocumentClient().send(new DeleteCommand({ TableName: table, Key: { pk: 'ORG#org_1', sk: 'ORG' } }));
    await stream.drain();

    expect(consumer.invocations.flat().map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`)).toEqual([
      'INSERT ORG',
      'MODIFY ORG',
    ]);
    expect(consumer.invocations.flat().some((record) => record.dynamodb?.Keys?.sk?.S?.startsWith(AUDIT_SORT_KEY_PREFIX))).toBe(false);
  });

  it('uses exactly the filter patterns the stack deploys, for every stream consumer in the manifest', () => {
    expect(JSON.parse(AUDIT_STREAM_FILTER.pattern as string)).toEqual(STACK_STREAM_FILTERS['audit-log']?.[0]);
    for (const consumer of STREAM_CONSUMERS) expect(STACK_STREAM_FILTERS[consumer.name]).toBeDefined();
  });

  it('dead-letters records older than the maximum record age without invoking the consumer', async () => {
    const table = await createTestTable('stream');
    await put(table, { pk: 'ITEM#old', sk: 'ITEM' });
    const consumer = recorder();
    // A negative age makes every record "too old", with no clock games.
    const stream = await poller(table, consumer.handler, { maxRecordAgeSeconds: -5 });
    await stream.drain();
    expect(consumer.invocations).toEqual([]);
    expect(stream.deadLetters).toEqual([expect.objectContaining({ reason: 'record_age_exceeded', eventIDs: [expect.any(String)] })]);
  });
});
