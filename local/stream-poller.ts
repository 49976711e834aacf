import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../functions/manifest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';
import { matchesAnyFilter, type FilterPattern } from './event-filter';
import { entryExists, loadHandler } from './handler-loader';
import { lambdaContext } from './lambda-context';
import { latestStreamArn } from './table';
import { STACK_STREAM_FILTERS } from './stream-filters';
import { toLambdaRecord } from './stream-records';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

/** A consumer from the manifest (`entry`, imported lazily) or, in tests, a function. */
export interface StreamConsumer {
  readonly name: string;
  readonly entry?: string;
  readonly handler?: StreamHandler;
  /** The event source mapping's filter criteria; none delivers every record. */
  readonly filters?: readonly FilterPattern[];
}

/** What a Lambda on-failure destination receives: where the records were, never what they held. */
export interface DeadLetter {
  readonly consumer: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly reason: 'function_error' | 'partial_batch_failure' | 'record_age_exceeded';
  readonly attempts: number;
  readonly eventIDs: readonly string[];
  readonly sequenceNumbers: readonly string[];
  readonly at: string;
}

export interface StreamPollerOptions {
  readonly tableName: string;
  readonly dynamoDbEndpoint: string;
  readonly consumers?: readonly StreamConsumer[];
  /** Records per invocation (the event source mapping's BatchSize). */
  readonly batchSize?: number;
  /** Retries after the first attempt before a batch is dead-lettered (MaximumRetryAttempts). */
  readonly maxRetries?: number;
  /** Older records are dead-lettered unprocessed (MaximumRecordAgeInSeconds). */
  readonly maxRecordAgeSeconds?: number;
  readonly retryDelayMs?: number;
  readonly pollIntervalMs?: number;
  /** Appends one JSON line per dead-lettered batch. */
  readonly deadLetterFile?: string;
  /** Remembers each consumer's position, so a restart over kept data does not replay the stream. */
  readonly checkpointFile?: string;
  readonly rootDir?: string;
  readonly log?: (line: string) => void;
}

export interface StreamPoller {
  /** Resolves once every record written before the call has been handled (or dead-lettered). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  readonly deadLetters: readonly DeadLetter[];
}

interface ShardState {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  iterator?: string | undefined;
  /** Last sequence number handled; reading resumes after it. */
  lastSequence?: string | undefined;
  finished: boolean;
}

interface Checkpoints {
  streamArn: string;
  positions: Record<string, Record<string, string>>;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

/** The manifest's consumers with the filters the stack gives their event source mappings. */
const stackConsumers = (): StreamConsumer[] =>
  STREAM_CONSUMERS.map((consumer) => ({ ...consumer, filters: STACK_STREAM_FILTERS[consumer.name] ?? [] }));

/**
 * Plays the part of Lambda's DynamoDB event source mapping against DynamoDB Local's real stream:
 * every shard from TRIM_HORIZON (children after their parents), records in order, filtered with the
 * stack's filter criteria, batches of `batchSize`, partial batch responses honoured (retry from the first
 * failed record), bisection on a thrown error, bounded retries, then a dead letter and move on.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? ((line: string) => console.log(line));
  const batchSize = options.batchSize ?? 100;
  // The stack's event source mapping settings (infra/constructs/stream-consumer.ts).
  const maxRetries = options.maxRetries ?? 5;
  const maxRecordAgeSeconds = options.maxRecordAgeSeconds ?? 3600;
  const retryDelayMs = options.retryDelayMs ?? 50;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const clientConfig = { endpoint: options.dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const streamArn = await latestStreamArn(dynamodb, options.tableName);
  dynamodb.destroy();

  const configured: readonly StreamConsumer[] = options.consumers ?? stackConsumers();
  const consumers = configured.filter((consumer) => {
    if (consumer.handler || (consumer.entry && entryExists(consumer.entry, options.rootDir))) return true;
    log(`stream: ${consumer.name} has no handler at ${consumer.entry ?? '(none)'}; not polling for it`);
    return false;
  });

  const checkpoints: Checkpoints = { streamArn, positions: {} };
  if (options.checkpointFile && existsSync(options.checkpointFile)) {
    const saved = JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Checkpoints;
    // A recreated table has a new stream; old positions mean nothing there.
    if (saved.streamArn === streamArn) checkpoints.positions = saved.positions;
  }
  const saveCheckpoint = (consumer: string, shardId: string, sequence: string): void => {
    (checkpoints.positions[consumer] ??= {})[shardId] = sequence;
    if (!options.checkpointFile) return;
    mkdirSync(dirname(options.checkpointFile), { recursive: true });
    const temp = `${options.checkpointFile}.tmp`;
    writeFileSync(temp, JSON.stringify(checkpoints));
    renameSync(temp, options.checkpointFile);
  };

  const deadLetters: DeadLetter[] = [];
  const shardsByConsumer = new Map<string, Map<string, ShardState>>(consumers.map((consumer) => [consumer.name, new Map()]));

  async function refreshShards(): Promise<void> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const consumer of consumers) {
      const known = shardsByConsumer.get(consumer.name) as Map<string, ShardState>;
      for (const shard of shards) {
        if (!shard.ShardId || known.has(shard.ShardId)) continue;
        const saved = checkpoints.positions[consumer.name]?.[shard.ShardId];
        known.set(shard.ShardId, {
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          finished: false,
          ...(saved ? { lastSequence: saved } : {}),
        });
      }
    }
  }

  async function invoke(consumer: StreamConsumer, records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse | void> {
    const handler = consumer.handler ?? ((await loadHandler(consumer.entry as string, options.rootDir)) as unknown as StreamHandler);
    const invokeWithContext = handler as (event: DynamoDBStreamEvent, context: unknown) => ReturnType<StreamHandler>;
    return invokeWithContext({ Records: records }, lambdaContext(consumer.name, 60_000));
  }

  function deadLetter(
    consumer: StreamConsumer,
    shardId: string,
    records: DynamoDBRecord[],
    reason: DeadLetter['reason'],
    attempts: number,
  ): void {
    const entry: DeadLetter = {
      consumer: consumer.name,
      streamArn,
      shardId,
      reason,
      attempts,
      eventIDs: records.map((record) => record.eventID ?? ''),
      sequenceNumbers: records.map(sequenceOf),
      at: new Date().toISOString(),
    };
    deadLetters.push(entry);
    if (options.deadLetterFile) {
      mkdirSync(dirname(options.deadLetterFile), { recursive: true });
      appendFileSync(options.deadLetterFile, `${JSON.stringify(entry)}\n`);
    }
    log(
      `stream: ${consumer.name} dead-lettered ${records.length} record(s) after ${attempts} attempt(s) (${reason}) shard=${shardId} eventIDs=${entry.eventIDs.join(',')}`,
    );
  }

  /** One batch through one consumer, with the event source mapping's retry rules. */
  async function deliver(
    consumer: StreamConsumer,
    shardId: string,
    batch: DynamoDBRecord[],
    retriesLeft: number,
    attemptsSoFar = 0,
  ): Promise<void> {
    let pending = batch;
    let retries = retriesLeft;
    let attempts = attemptsSoFar;
    for (;;) {
      attempts += 1;
      let response: DynamoDBBatchResponse | void;
      try {
        response = await invoke(consumer, pending);
      } catch (error) {
        log(`stream: ${consumer.name} failed on ${pending.length} record(s): ${error instanceof Error ? error.name : typeof error}`);
        if (pending.length > 1) {
          // Bisect: the halves are retried on their own, so one bad record cannot hold back the rest.
          const middle = Math.ceil(pending.length / 2);
          await deliver(consumer, shardId, pending.slice(0, middle), retries, attempts);
          await deliver(consumer, shardId, pending.slice(middle), retries, attempts);
          return;
        }
        if (retries === 0) return deadLetter(consumer, shardId, pending, 'function_error', attempts);
        retries -= 1;
        await sleep(Math.min(1000, retryDelayMs * attempts));
        continue;
      }
      const failures = response?.batchItemFailures ?? [];
      if (failures.length === 0) return;
      const failed = new Set(failures.map((failure) => failure?.itemIdentifier));
      const firstFailed = pending.findIndex((record) => failed.has(sequenceOf(record)));
      // An identifier that names no record of the batch fails the whole batch, as in Lambda.
      const valid = [...failed].every((id) => typeof id === 'string' && id !== '' && pending.some((record) => sequenceOf(record) === id));
      const from = valid && firstFailed >= 0 ? firstFailed : 0;
      if (retries === 0) {
        const failing = valid ? pending.filter((record) => failed.has(sequenceOf(record))) : pending;
        return deadLetter(consumer, shardId, failing, 'partial_batch_failure', attempts);
      }
      retries -= 1;
      pending = pending.slice(from);
      await sleep(Math.min(1000, retryDelayMs * attempts));
    }
  }

  async function iteratorFor(consumer: string, shard: ShardState): Promise<string | undefined> {
    const out = await streams.send(
      new GetShardIteratorCommand(
        shard.lastSequence
          ? { StreamArn: streamArn, ShardId: shard.shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
          : // TRIM_HORIZON: every record still in the stream. LATEST would miss writes made before we looked.
            { StreamArn: streamArn, ShardId: shard.shardId, ShardIteratorType: 'TRIM_HORIZON' },
      ),
    );
    if (!out.ShardIterator) log(`stream: ${consumer} got no iterator for shard ${shard.shardId}`);
    return out.ShardIterator;
  }

  /** Reads one shard until it has nothing more right now (or is closed and read to the end). */
  async function pollShard(consumer: StreamConsumer, shard: ShardState): Promise<void> {
    for (;;) {
      if (stopped) return;
      shard.iterator ??= await iteratorFor(consumer.name, shard);
      if (!shard.iterator) {
        shard.finished = true;
        return;
      }
      let out: GetRecordsCommandOutput;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          shard.iterator = undefined;
          continue;
        }
        if (error instanceof TrimmedDataAccessException) {
          shard.iterator = undefined;
          shard.lastSequence = undefined;
          continue;
        }
        throw error;
      }
      const records = (out.Records ?? []).map((record) => toLambdaRecord(record, streamArn));
      shard.iterator = out.NextShardIterator;
      if (!out.NextShardIterator) shard.finished = true;
      if (records.length === 0) return;
      const wanted = records.filter((record) => matchesAnyFilter(consumer.filters, record));
      for (let start = 0; start < wanted.length; start += batchSize) {
        const batch = wanted.slice(start, start + batchSize);
        const oldest = Date.now() / 1000 - maxRecordAgeSeconds;
        const expired = batch.filter((record) => (record.dynamodb?.ApproximateCreationDateTime ?? Infinity) < oldest);
        if (expired.length > 0) deadLetter(consumer, shard.shardId, expired, 'record_age_exceeded', 0);
        const fresh = batch.filter((record) => !expired.includes(record));
        if (fresh.length > 0) await deliver(consumer, shard.shardId, fresh, maxRetries);
        shard.lastSequence = sequenceOf(batch[batch.length - 1] as DynamoDBRecord);
        saveCheckpoint(consumer.name, shard.shardId, shard.lastSequence);
      }
      // Filtered-out records are consumed too: the position moves past them.
      shard.lastSequence = sequenceOf(records[records.length - 1] as DynamoDBRecord);
      saveCheckpoint(consumer.name, shard.shardId, shard.lastSequence);
      if (shard.finished) return;
    }
  }

  async function cycle(): Promise<void> {
    await refreshShards();
    for (const consumer of consumers) {
      const shards = shardsByConsumer.get(consumer.name) as Map<string, ShardState>;
      // A child shard waits until its parent is read to the end, which keeps each key's records in order.
      let progressed = true;
      while (progressed && !stopped) {
        progressed = false;
        for (const shard of shards.values()) {
          if (shard.finished) continue;
          const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
          if (parent && !parent.finished) continue;
          await pollShard(consumer, shard);
          if (shard.finished) progressed = true;
        }
      }
    }
  }

  let stopped = false;
  let started = 0;
  let cleanCompleted = 0;
  let failedInARow = 0;
  const waiters: { target: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  let wake: (() => void) | undefined;

  const loop = (async () => {
    while (!stopped) {
      started += 1;
      const current = started;
      try {
        await cycle();
        cleanCompleted = current;
        failedInARow = 0;
        for (const waiter of waiters.filter((w) => w.target <= cleanCompleted)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      } catch (error) {
        failedInARow += 1;
        if (failedInARow === 1 || failedInARow % 20 === 0)
          log(`stream: polling failed (${error instanceof Error ? error.name : typeof error}); retrying`);
      }
      if (stopped) break;
      if (waiters.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  })();

  return {
    deadLetters,
    drain: () => {
      if (stopped) return Promise.reject(new Error('stream poller is stopped'));
      // A cycle already running may have read the shards before the caller's last write: wait for the next.
      const promise = new Promise<void>((resolve, reject) => waiters.push({ target: started + 1, resolve, reject }));
      wake?.();
      return promise;
    },
    stop: async () => {
      if (stopped) return loop;
      stopped = true;
      wake?.();
      await loop;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('stream poller stopped'));
      streams.destroy();
    },
  };
}
