import { ServiceUnavailableError } from '../errors';

type CancellationReason = { Code?: string };

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/** Which items of a cancelled transaction failed their condition (in request order). */
export function failedConditions(error: unknown): boolean[] | undefined {
  return cancellationReasons(error)?.map((reason) => reason.Code === 'ConditionalCheckFailed');
}

export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Another transaction held one of our items; the SDK does not retry these, so callers do. */
export function isTransactionConflict(error: unknown): boolean {
  const reasons = cancellationReasons(error);
  if (reasons)
    return reasons.some((reason) => reason.Code === 'TransactionConflict') && !reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  return error instanceof Error && error.name === 'TransactionConflictException';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries a transaction that lost a race to another one, with jittered backoff, a bounded number of
 * times; one that keeps losing is contention, not a bug: a 503 the client may retry (ADR 0012).
 */
export async function withTransactionRetry<T>(attempt: () => Promise<T>, maxAttempts = 8): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (tries >= maxAttempts) throw new ServiceUnavailableError();
      await sleep(Math.random() * 20 * 2 ** Math.min(tries, 5));
    }
  }
}
