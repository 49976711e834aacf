import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record as StreamRecord,
  type AttributeValue as StreamAttributeValue,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { DeadLetter } from '../local/dead-letters';
import { matchesAnyFilter } from '../local/event-filter';
import type { StreamConsumer } from '../local/stream-consumers';
import { toLambdaRecord } from '../local/stream-records';

/**
 * Where a failed batch was, never what it held: what Lambda's on-failure destination receives for a
 * stream source (`DDBStreamBatchInfo`), and what the local poller's dead-letter file holds.
 */
export interface BatchPointer {
  readonly consumer: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/** One dead letter still to redrive, with how to say it is done (delete the SQS message, mark the line). */
export interface PendingDeadLetter {
  readonly id: string;
  readonly pointer: BatchPointer;
}

/** Where dead letters come from: the local JSON-lines file, or (deployed) each consumer's SQS queue. */
export interface DeadLetterSource {
  pending(): Promise<PendingDeadLetter[]>;
  done(letter: PendingDeadLetter): Promise<void>;
}

const bySequence = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * Lambda's on-failure record for a DynamoDB stream (the body of the SQS message): requestContext names
 * the function, DDBStreamBatchInfo the shard and the sequence range. The consumer is the function whose
 * queue the message came from, which the caller knows.
 */
export function pointerFromOnFailureRecord(consumer: string, body: string): BatchPointer {
  const parsed = JSON.parse(body) as { DDBStreamBatchInfo?: Record<string, unknown> };
  const info = parsed.DDBStreamBatchInfo;
  const field = (name: string): string => {
    const value = info?.[name];
    if (typeof value !== 'string' || value === '') throw new Error(`on-failure record: DDBStreamBatchInfo.${name} is missing`);
    return value;
  };
  return {
    consumer,
    streamArn: field('streamArn'),
    shardId: field('shardId'),
    startSequenceNumber: field('startSequenceNumber'),
    endSequenceNumber: field('endSequenceNumber'),
  };
}

/** A local dead letter names each record's sequence number: its range is the lowest to the highest. */
export function pointerFromLocalDeadLetter(letter: DeadLetter): BatchPointer {
  const sorted = letter.sequenceNumbers.filter((sequence) => sequence !== '').sort(bySequence);
  if (sorted.length === 0) throw new Error(`dead letter of ${letter.consumer} at ${letter.at} names no sequence numbers`);
  return {
    consumer: letter.consumer,
    streamArn: letter.streamArn,
    shardId: letter.shardId,
    startSequenceNumber: sorted[0] as string,
    endSequenceNumber: sorted[sorted.length - 1] as string,
  };
}

/**
 * The local poller's dead-letter file (local/dead-letters.ts). The file is only ever appended to (the
 * poller may be writing it while we read): a redriven letter is recorded in a sibling `.redriven`
 * file by its line's id, so a second run skips it.
 */
export class LocalDeadLetterFile implements DeadLetterSource {
  constructor(private readonly file: string) {}

  private get doneFile(): string {
    return `${this.file}.redriven`;
  }

  async pending(): Promise<PendingDeadLetter[]> {
    if (!existsSync(this.file)) return [];
    const done = new Set(existsSync(this.doneFile) ? readFileSync(this.doneFile, 'utf8').split('\n').filter(Boolean) : []);
    const lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    return lines.flatMap((line, index) => {
      const letter = JSON.parse(line) as DeadLetter;
      // The line number and time make the id: the same batch may be dead-lettered twice, on two runs.
      const id = `${index + 1}:${letter.consumer}:${letter.at}`;
      return done.has(id) ? [] : [{ id, pointer: pointerFromLocalDeadLetter(letter) }];
    });
  }

  async done(letter: PendingDeadLetter): Promise<void> {
    appendFileSync(this.doneFile, `${letter.id}\n`);
  }
}

export type RecordsInRange =
  | { readonly kind: 'records'; readonly records: StreamRecord[] }
  | { readonly kind: 'expired'; readonly reason: string };

/** Empty pages in a row before we stop looking for the end of the range (an open shard may answer empty). */
const MAX_EMPTY_PAGES = 5;

/** The stream records of [start, end] in the pointer's shard, in Lambda's shape; or why they are gone. */
export async function readRange(streams: DynamoDBStreamsClient, pointer: BatchPointer): Promise<RecordsInRange> {
  const records: StreamRecord[] = [];
  try {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: pointer.streamArn,
          ShardId: pointer.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: pointer.startSequenceNumber,
        }),
      )
    ).ShardIterator;
    let empty = 0;
    while (iterator && empty < MAX_EMPTY_PAGES) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const got = page.Records ?? [];
      empty = got.length === 0 ? empty + 1 : 0;
      for (const record of got) {
        if (bySequence(record.dynamodb?.SequenceNumber ?? '0', pointer.endSequenceNumber) > 0) return { kind: 'records', records };
        records.push(record);
      }
      iterator = page.NextShardIterator;
    }
  } catch (error) {
    // Past the stream's 24 h retention (or a stream that no longer exists): only a rebuild can help.
    if (
      error instanceof TrimmedDataAccessException ||
      error instanceof ExpiredIteratorException ||
      error instanceof ResourceNotFoundException
    ) {
      return { kind: 'expired', reason: error.name };
    }
    throw error;
  }
  return { kind: 'records', records };
}

/**
 * Consumers that project an item's state (absolute totals, an entry per activity) rely on the records of
 * one item arriving in order: the last write is the newest image's. A replay comes after newer records
 * were projected, so for them each replayed record carries the item as it is now (read strongly), and a
 * record whose item is gone since is left out (its REMOVE record is projected, or itself dead-lettered
 * and replayed). The audit log records each change as it happened: its records are replayed as recorded.
 */
// The erasure consumer too: a job's pass runs only for a record carrying the job's current pass number,
// so a replay must carry the job as it is now, which resumes a job whose last trigger was dead-lettered.
const CURRENT_STATE_CONSUMERS = new Set(['feed-projector', 'leaderboard-projector', 'erasure']);

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export const tableOfStream = (streamArn: string): string => streamArn.split(':table/')[1]?.split('/stream/')[0] ?? '';

async function withCurrentImage(dynamodb: DynamoDBClient, table: string, record: StreamRecord): Promise<StreamRecord | undefined> {
  const keys = record.dynamodb?.Keys;
  if (record.eventName === 'REMOVE' || !keys) return record;
  const current = await dynamodb.send(new GetItemCommand({ TableName: table, Key: keys, ConsistentRead: true }));
  if (!current.Item) return undefined;
  // The table's and the stream's attribute values are the same JSON shapes, typed by two SDK packages.
  return { ...record, dynamodb: { ...record.dynamodb, NewImage: current.Item as Record<string, StreamAttributeValue> } };
}

export type RedriveOutcome =
  | { readonly kind: 'redriven'; readonly records: number; readonly delivered: number }
  | { readonly kind: 'expired'; readonly reason: string }
  | { readonly kind: 'failed'; readonly failures: number }
  | { readonly kind: 'unknown-consumer' };

export interface RedriveResult {
  readonly letter: PendingDeadLetter;
  readonly outcome: RedriveOutcome;
}

export interface RedriveOptions {
  readonly source: DeadLetterSource;
  readonly streams: DynamoDBStreamsClient;
  /** Reads items as they are now, for the consumers that project state (CURRENT_STATE_CONSUMERS). */
  readonly dynamodb: DynamoDBClient;
  /** The stack's consumers with their filters (local/stream-consumers.ts stackConsumers()). */
  readonly consumers: readonly StreamConsumer[];
  /** Runs the consumer's own handler on a batch, as Lambda would (local/stream-consumers.ts invokeConsumer). */
  readonly invoke: (consumer: StreamConsumer, records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse | void>;
  readonly batchSize?: number;
}

/**
 * Replays each pending dead letter: its records re-read from the stream, filtered as the event source
 * mapping filters them, handed to the consumer's handler in batches; the letter is marked done only
 * when every record went through. Safe to run again: the consumers write by key (feed, boards) or on
 * a condition on the stream event id (audit), so a record handled twice changes nothing.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult[]> {
  const results: RedriveResult[] = [];
  const batchSize = options.batchSize ?? 100;
  for (const letter of await options.source.pending()) {
    const consumer = options.consumers.find((candidate) => candidate.name === letter.pointer.consumer);
    if (!consumer) {
      results.push({ letter, outcome: { kind: 'unknown-consumer' } });
      continue;
    }
    const range = await readRange(options.streams, letter.pointer);
    if (range.kind === 'expired') {
      results.push({ letter, outcome: range });
      continue;
    }
    const table = tableOfStream(letter.pointer.streamArn);
    const replayed = CURRENT_STATE_CONSUMERS.has(consumer.name)
      ? (await Promise.all(range.records.map((record) => withCurrentImage(options.dynamodb, table, record)))).filter(
          (record): record is StreamRecord => record !== undefined,
        )
      : range.records;
    const wanted = replayed
      .map((record) => toLambdaRecord(record, letter.pointer.streamArn))
      .filter((record) => matchesAnyFilter(consumer.filters, record));
    let failures = 0;
    for (let start = 0; start < wanted.length; start += batchSize) {
      const response = await options.invoke(consumer, wanted.slice(start, start + batchSize));
      failures += response?.batchItemFailures?.length ?? 0;
    }
    if (failures > 0) {
      results.push({ letter, outcome: { kind: 'failed', failures } });
      continue;
    }
    await options.source.done(letter);
    results.push({ letter, outcome: { kind: 'redriven', records: range.records.length, delivered: wanted.length } });
  }
  return results;
}

/** One line per letter, for the operator. */
export function describeResult(result: RedriveResult): string {
  const { pointer } = result.letter;
  const where = `${pointer.consumer} shard=${pointer.shardId} [${pointer.startSequenceNumber}..${pointer.endSequenceNumber}]`;
  const { outcome } = result;
  switch (outcome.kind) {
    case 'redriven':
      return `redriven ${where}: ${outcome.records} record(s) read, ${outcome.delivered} delivered`;
    case 'expired':
      return `EXPIRED ${where}: ${outcome.reason}: the stream no longer holds these records; run npm run rebuild (docs/operations.md, "Rebuilding a projection")`;
    case 'failed':
      return `FAILED ${where}: ${outcome.failures} record(s) failed again; left pending, run again once the cause is fixed`;
    case 'unknown-consumer':
      return `SKIPPED ${where}: no such stream consumer in functions/manifest.ts`;
  }
}
