import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { DeadLetters } from './dead-letters';
import { errorName } from './error-name';
import type { StreamConsumer } from './stream-consumers';
import { sequenceOf } from './stream-records';

export type Invoke = (consumer: StreamConsumer, records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse | void>;

/** What a partial batch response asks for: a retry from `from`, or, out of retries, a dead letter for `failing`. */
interface PartialFailure {
  readonly from: number;
  readonly failing: DynamoDBRecord[];
}

type Attempt = { readonly threw: true } | { readonly threw: false; readonly response: DynamoDBBatchResponse | void };

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The batch item failures of a response; undefined when every record succeeded. */
export function partialFailure(pending: DynamoDBRecord[], response: DynamoDBBatchResponse | void): PartialFailure | undefined {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const failed = new Set(failures.map((failure) => failure?.itemIdentifier));
  const firstFailed = pending.findIndex((record) => failed.has(sequenceOf(record)));
  // An identifier that names no record of the batch fails the whole batch, as in Lambda.
  const valid = [...failed].every((id) => typeof id === 'string' && id !== '' && pending.some((record) => sequenceOf(record) === id));
  return {
    from: valid && firstFailed >= 0 ? firstFailed : 0,
    failing: valid ? pending.filter((record) => failed.has(sequenceOf(record))) : pending,
  };
}

/**
 * One batch through one consumer, with the event source mapping's retry rules: a partial batch
 * response is retried from the first failed record, a thrown error bisects the batch, a single
 * record is retried with a growing delay, and what is still failing once retries run out is
 * dead-lettered.
 */
export class BatchDelivery {
  constructor(
    private readonly invoke: Invoke,
    private readonly deadLetters: DeadLetters,
    private readonly retryDelayMs: number,
    private readonly log: (line: string) => void,
  ) {}

  async deliver(consumer: StreamConsumer, shardId: string, batch: DynamoDBRecord[], retriesLeft: number, attemptsSoFar = 0): Promise<void> {
    let pending = batch;
    let retries = retriesLeft;
    let attempts = attemptsSoFar;
    for (;;) {
      attempts += 1;
      const attempt = await this.attempt(consumer, pending);
      if (attempt.threw) {
        if (pending.length > 1) return this.bisect(consumer, shardId, pending, retries, attempts);
        if (retries === 0) return this.deadLetters.add(consumer.name, shardId, pending, 'function_error', attempts);
      } else {
        const failure = partialFailure(pending, attempt.response);
        if (!failure) return;
        if (retries === 0) return this.deadLetters.add(consumer.name, shardId, failure.failing, 'partial_batch_failure', attempts);
        pending = pending.slice(failure.from);
      }
      retries -= 1;
      await sleep(Math.min(1000, this.retryDelayMs * attempts));
    }
  }

  private async attempt(consumer: StreamConsumer, pending: DynamoDBRecord[]): Promise<Attempt> {
    try {
      return { threw: false, response: await this.invoke(consumer, pending) };
    } catch (error) {
      this.log(`stream: ${consumer.name} failed on ${pending.length} record(s): ${errorName(error)}`);
      return { threw: true };
    }
  }

  /** The halves are retried on their own, so one bad record cannot hold back the rest. */
  private async bisect(
    consumer: StreamConsumer,
    shardId: string,
    pending: DynamoDBRecord[],
    retries: number,
    attempts: number,
  ): Promise<void> {
    const middle = Math.ceil(pending.length / 2);
    await this.deliver(consumer, shardId, pending.slice(0, middle), retries, attempts);
    await this.deliver(consumer, shardId, pending.slice(middle), retries, attempts);
  }
}
