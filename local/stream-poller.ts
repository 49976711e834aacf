import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { BatchDelivery } from './batch-delivery';
import { type DeadLetter, DeadLetters } from './dead-letters';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';
import { matchesAnyFilter } from './event-filter';
import { PollLoop } from './poll-loop';
import { ShardReader } from './shard-reader';
import { StreamCheckpoints } from './stream-checkpoints';
import { invokeConsumer, pollableConsumers, stackConsumers, type StreamConsumer } from './stream-consumers';
import { sequenceOf } from './stream-records';
import { ConsumerShards, describeShards, type ShardState } from './stream-shards';
import { latestStreamArn } from './table';

export type { DeadLetter } from './dead-letters';
export type { StreamConsumer, StreamHandler } from './stream-consumers';

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

/** What every consumer's mapping shares: the stream's reader, delivery, dead letters, checkpoints and settings. */
interface MappingParts {
  readonly reader: ShardReader;
  readonly delivery: BatchDelivery;
  readonly deadLetters: DeadLetters;
  readonly checkpoints: StreamCheckpoints;
  readonly batchSize: number;
  readonly maxRetries: number;
  readonly maxRecordAgeSeconds: number;
}

/** One consumer's event source mapping: its shards read in order, their records filtered, batched and delivered. */
class EventSourceMapping {
  constructor(
    private readonly consumer: StreamConsumer,
    private readonly shards: ConsumerShards,
    private readonly parts: MappingParts,
  ) {}

  learn(shards: readonly Shard[]): void {
    this.shards.learn(shards, (shardId) => this.parts.checkpoints.position(this.consumer.name, shardId));
  }

  /** Reads every shard it may, and again while that finished one, since a finished parent frees its children. */
  async poll(isStopped: () => boolean): Promise<void> {
    let progressed = true;
    while (progressed && !isStopped()) {
      progressed = false;
      for (const shard of this.shards.all()) {
        if (!this.shards.readable(shard)) continue;
        await this.pollShard(shard, isStopped);
        if (shard.finished) progressed = true;
      }
    }
  }

  /** Reads one shard until it has nothing more right now (or is closed and read to the end). */
  private async pollShard(shard: ShardState, isStopped: () => boolean): Promise<void> {
    for (;;) {
      if (isStopped()) return;
      const read = await this.parts.reader.read(this.consumer.name, shard);
      if (read.kind === 'start-over') continue;
      if (read.kind === 'no-iterator' || read.records.length === 0) return;
      await this.handle(shard, read.records);
      if (shard.finished) return;
    }
  }

  private async handle(shard: ShardState, records: DynamoDBRecord[]): Promise<void> {
    const wanted = records.filter((record) => matchesAnyFilter(this.consumer.filters, record));
    for (let start = 0; start < wanted.length; start += this.parts.batchSize) {
      await this.deliverBatch(shard, wanted.slice(start, start + this.parts.batchSize));
    }
    // Filtered-out records are consumed too: the position moves past them.
    this.moveAfter(shard, records);
  }

  /** Records past the maximum age are dead-lettered unprocessed; the rest go to the consumer. */
  private async deliverBatch(shard: ShardState, batch: DynamoDBRecord[]): Promise<void> {
    const oldest = Date.now() / 1000 - this.parts.maxRecordAgeSeconds;
    const expired = batch.filter((record) => (record.dynamodb?.ApproximateCreationDateTime ?? Infinity) < oldest);
    if (expired.length > 0) this.parts.deadLetters.add(this.consumer.name, shard.shardId, expired, 'record_age_exceeded', 0);
    const fresh = batch.filter((record) => !expired.includes(record));
    if (fresh.length > 0) await this.parts.delivery.deliver(this.consumer, shard.shardId, fresh, this.parts.maxRetries);
    this.moveAfter(shard, batch);
  }

  private moveAfter(shard: ShardState, records: DynamoDBRecord[]): void {
    shard.lastSequence = sequenceOf(records[records.length - 1] as DynamoDBRecord);
    this.parts.checkpoints.save(this.consumer.name, shard.shardId, shard.lastSequence);
  }
}

/**
 * Plays the part of Lambda's DynamoDB event source mapping against DynamoDB Local's real stream:
 * every shard from TRIM_HORIZON (children after their parents), records in order, filtered with the
 * stack's filter criteria, batches of `batchSize`, partial batch responses honoured (retry from the first
 * failed record), bisection on a thrown error, bounded retries, then a dead letter and move on.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clientConfig = { endpoint: options.dynamoDbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const streamArn = await latestStreamArn(dynamodb, options.tableName);
  dynamodb.destroy();

  const consumers = pollableConsumers(options.consumers ?? stackConsumers(), options.rootDir, log);
  const deadLetters = new DeadLetters(streamArn, options.deadLetterFile, log);
  const invoke = (consumer: StreamConsumer, records: DynamoDBRecord[]) => invokeConsumer(consumer, records, options.rootDir);
  const parts: MappingParts = {
    reader: new ShardReader(streams, streamArn, log),
    delivery: new BatchDelivery(invoke, deadLetters, options.retryDelayMs ?? 50, log),
    deadLetters,
    checkpoints: StreamCheckpoints.load(options.checkpointFile, streamArn),
    // The stack's event source mapping settings (infra/constructs/stream-consumer.ts).
    batchSize: options.batchSize ?? 100,
    maxRetries: options.maxRetries ?? 5,
    maxRecordAgeSeconds: options.maxRecordAgeSeconds ?? 3600,
  };
  // Positions belong to a consumer's name, as in the checkpoint file.
  const shardsByName = new Map(consumers.map((consumer) => [consumer.name, new ConsumerShards()]));
  const mappings = consumers.map((consumer) => new EventSourceMapping(consumer, shardsByName.get(consumer.name) as ConsumerShards, parts));

  const cycle = async (isStopped: () => boolean): Promise<void> => {
    const shards = await describeShards(streams, streamArn);
    for (const mapping of mappings) mapping.learn(shards);
    for (const mapping of mappings) await mapping.poll(isStopped);
  };
  const loop = new PollLoop(cycle, options.pollIntervalMs ?? 250, log, () => streams.destroy());
  return { deadLetters: deadLetters.entries, drain: () => loop.drain(), stop: () => loop.stop() };
}
