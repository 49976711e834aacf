import {
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ShardState } from './stream-shards';
import { toLambdaRecord } from './stream-records';

/**
 * What one read of a shard gave: no iterator (the shard is done), a position to start over from
 * (its iterator expired, or its records were trimmed), or the next records, in Lambda's shape.
 */
export type ShardRead =
  | { readonly kind: 'no-iterator' }
  | { readonly kind: 'start-over' }
  | { readonly kind: 'records'; readonly records: DynamoDBRecord[] };

/** Reads shards one GetRecords page at a time, keeping each shard's iterator and end in its ShardState. */
export class ShardReader {
  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly log: (line: string) => void,
  ) {}

  async read(consumer: string, shard: ShardState): Promise<ShardRead> {
    shard.iterator ??= await this.iteratorFor(consumer, shard);
    if (!shard.iterator) {
      shard.finished = true;
      return { kind: 'no-iterator' };
    }
    let out: GetRecordsCommandOutput;
    try {
      out = await this.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
    } catch (error) {
      // Iterators live 15 minutes: ask for a new one at the same position.
      if (error instanceof ExpiredIteratorException) {
        shard.iterator = undefined;
        return { kind: 'start-over' };
      }
      // The position fell out of the stream's retention: start again from the oldest record still there.
      if (error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        shard.lastSequence = undefined;
        return { kind: 'start-over' };
      }
      throw error;
    }
    const records = (out.Records ?? []).map((record) => toLambdaRecord(record, this.streamArn));
    shard.iterator = out.NextShardIterator;
    if (!out.NextShardIterator) shard.finished = true;
    return { kind: 'records', records };
  }

  private async iteratorFor(consumer: string, shard: ShardState): Promise<string | undefined> {
    const out = await this.streams.send(
      new GetShardIteratorCommand(
        shard.lastSequence
          ? {
              StreamArn: this.streamArn,
              ShardId: shard.shardId,
              ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
              SequenceNumber: shard.lastSequence,
            }
          : // TRIM_HORIZON: every record still in the stream. LATEST would miss writes made before we looked.
            { StreamArn: this.streamArn, ShardId: shard.shardId, ShardIteratorType: 'TRIM_HORIZON' },
      ),
    );
    if (!out.ShardIterator) this.log(`stream: ${consumer} got no iterator for shard ${shard.shardId}`);
    return out.ShardIterator;
  }
}
