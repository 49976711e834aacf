import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { sequenceOf } from './stream-records';

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

/** The on-failure destination: kept in memory, appended to a file as JSON lines when there is one, and logged. */
export class DeadLetters {
  readonly entries: DeadLetter[] = [];

  constructor(
    private readonly streamArn: string,
    private readonly file: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  add(consumer: string, shardId: string, records: DynamoDBRecord[], reason: DeadLetter['reason'], attempts: number): void {
    const entry: DeadLetter = {
      consumer,
      streamArn: this.streamArn,
      shardId,
      reason,
      attempts,
      eventIDs: records.map((record) => record.eventID ?? ''),
      sequenceNumbers: records.map(sequenceOf),
      at: new Date().toISOString(),
    };
    this.entries.push(entry);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    }
    this.log(
      `stream: ${consumer} dead-lettered ${records.length} record(s) after ${attempts} attempt(s) (${reason}) shard=${shardId} eventIDs=${entry.eventIDs.join(',')}`,
    );
  }
}
