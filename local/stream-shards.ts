import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';

/** One consumer's reading position in one shard. */
export interface ShardState {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  iterator?: string | undefined;
  /** Last sequence number handled; reading resumes after it. */
  lastSequence?: string | undefined;
  finished: boolean;
}

/** Every shard of the stream, open and closed, over as many DescribeStream pages as it takes. */
export async function describeShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
    shards.push(...(out.StreamDescription?.Shards ?? []));
    exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId);
  return shards;
}

/** One consumer's shards, in the order it first saw them. */
export class ConsumerShards {
  private readonly shards = new Map<string, ShardState>();

  /** Starts tracking shards it has not seen, from the saved position when there is one. */
  learn(shards: readonly Shard[], savedPosition: (shardId: string) => string | undefined): void {
    for (const shard of shards) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      const saved = savedPosition(shard.ShardId);
      this.shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        finished: false,
        ...(saved ? { lastSequence: saved } : {}),
      });
    }
  }

  all(): IterableIterator<ShardState> {
    return this.shards.values();
  }

  /** A child shard waits until its parent is read to the end, which keeps each key's records in order. */
  readable(shard: ShardState): boolean {
    if (shard.finished) return false;
    const parent = shard.parentShardId ? this.shards.get(shard.parentShardId) : undefined;
    return !(parent && !parent.finished);
  }
}
