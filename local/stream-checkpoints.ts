import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The file's format: the stream it belongs to, and each consumer's last handled sequence number per shard. */
interface Checkpoints {
  streamArn: string;
  positions: Record<string, Record<string, string>>;
}

/** Each consumer's position in each shard, so a restart over kept data does not replay the stream. */
export class StreamCheckpoints {
  private readonly checkpoints: Checkpoints;

  private constructor(
    streamArn: string,
    private readonly file: string | undefined,
  ) {
    this.checkpoints = { streamArn, positions: {} };
  }

  /** The positions saved for this stream; none without a file, or when the file is for another stream. */
  static load(file: string | undefined, streamArn: string): StreamCheckpoints {
    const loaded = new StreamCheckpoints(streamArn, file);
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoints;
      // A recreated table has a new stream; old positions mean nothing there.
      if (saved.streamArn === streamArn) loaded.checkpoints.positions = saved.positions;
    }
    return loaded;
  }

  position(consumer: string, shardId: string): string | undefined {
    return this.checkpoints.positions[consumer]?.[shardId];
  }

  /** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
  save(consumer: string, shardId: string, sequence: string): void {
    (this.checkpoints.positions[consumer] ??= {})[shardId] = sequence;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.checkpoints));
    renameSync(temp, this.file);
  }
}
