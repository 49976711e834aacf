import type { DynamoDBRecord } from 'aws-lambda';
import { nowIso } from '../clock';
import { ENV, positiveEnv } from '../config/env';
import type { DocumentClient } from '../db/client';
import { ErasureRepository } from '../repositories/erasure-repository';
import { runErasurePass } from './erasure-pass';

/** Writes one pass may make: enough to finish most athletes in one, few enough to stay far inside a timeout. */
export const DEFAULT_PASS_WRITES = 1_000;
/** A pass stops and saves its cursor once the invocation has less than this left. */
const TIME_RESERVE_MS = 10_000;

// Read per pass rather than at load: an operator's change applies to the next pass of a running job.
const passWrites = (): number => positiveEnv(ENV.erasurePassWrites, DEFAULT_PASS_WRITES, 'whole number of items');

/**
 * The `erasure` stream consumer's work on one record of a running job: load the job (strongly: the
 * record may be older than the job), and run one pass when the record is the job's latest write.
 * An older record (a redelivery, or a pass another invocation already made) does nothing, so at most
 * one pass follows each write. Returns the items the pass wrote or deleted, for the batch log line.
 */
export class ErasureConsumer {
  private readonly repo: ErasureRepository;

  constructor(client: DocumentClient, table: string) {
    this.repo = new ErasureRepository(client, table);
  }

  async handle(record: DynamoDBRecord, remainingMs: () => number): Promise<number> {
    const userId = record.dynamodb?.NewImage?.user_id?.S;
    const pass = record.dynamodb?.NewImage?.pass?.N;
    if (!userId || pass === undefined) return 0;
    const job = await this.repo.job(userId);
    if (job?.state !== 'running' || job.pass !== Number(pass)) return 0;
    const { written } = await runErasurePass(this.repo, job, nowIso(), {
      maxWrites: passWrites(),
      outOfTime: () => remainingMs() < TIME_RESERVE_MS,
    });
    return written;
  }
}
