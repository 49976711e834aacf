import { withTransactionRetry } from '../../../lib/repositories/dynamo-errors';
import { ServiceUnavailableError } from '../../../lib/errors';

/** What the SDK throws when another transaction held one of ours (and nothing failed its condition). */
function conflict(): Error {
  return Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
  });
}

describe('withTransactionRetry', () => {
  it('retries a transaction that lost a race, and returns once it wins', async () => {
    let tries = 0;
    const result = await withTransactionRetry(async () => {
      tries += 1;
      if (tries < 3) throw conflict();
      return 'written';
    });
    expect({ result, tries }).toEqual({ result: 'written', tries: 3 });
  });

  it('turns a transaction that keeps losing into a retryable 503, not an unknown error (a 500)', async () => {
    let tries = 0;
    const outcome = withTransactionRetry(async () => {
      tries += 1;
      throw conflict();
    }, 3);
    await expect(outcome).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(outcome).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    expect(tries).toBe(3);
  });

  it('does not retry or rewrap a failed condition', async () => {
    const failed = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
    let tries = 0;
    await expect(
      withTransactionRetry(async () => {
        tries += 1;
        throw failed;
      }),
    ).rejects.toBe(failed);
    expect(tries).toBe(1);
  });
});
