import { lambdaContext } from '../../../local/lambda-context';
import { captureLogs } from '../../support/log-capture';

// Lambda sets it before any code loads; the logger reads it when it is built.
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
type Lazy = typeof import('../../../lib/logging/lazy');

/** A fresh container: the lazy module and the logger it imports, loaded anew. */
async function container(): Promise<Lazy> {
  let lazy: Lazy | undefined;
  await jest.isolateModulesAsync(async () => {
    lazy = await import('../../../lib/logging/lazy');
  });
  if (!lazy) throw new Error('not loaded');
  return lazy;
}

async function linesOf(work: (lazy: Lazy) => Promise<void>): Promise<Record<string, unknown>[]> {
  const lazy = await container();
  const saved = process.env.ASTRAL_QUIET;
  process.env.ASTRAL_QUIET = 'false';
  const logs = captureLogs();
  try {
    await work(lazy);
  } finally {
    logs.restore();
    if (saved === undefined) delete process.env.ASTRAL_QUIET;
    else process.env.ASTRAL_QUIET = saved;
  }
  return logs.records();
}

describe('logging loaded on the first line (the authorizer)', () => {
  it('marks the line of the container’s first invocation as the cold start', async () => {
    const lines = await linesOf(async ({ noteInvocation, logLazily }) => {
      noteInvocation(lambdaContext('authorizer', 3_000));
      await logLazily('info', 'credentials rejected', { reason: 'invalid_token' });
    });
    expect(lines).toEqual([expect.objectContaining({ message: 'credentials rejected', reason: 'invalid_token', cold_start: true })]);
  });

  it('does not call a later invocation the cold start, though the logger is created then', async () => {
    const lines = await linesOf(async ({ noteInvocation, logLazily }) => {
      noteInvocation(lambdaContext('authorizer', 3_000));
      noteInvocation(lambdaContext('authorizer', 3_000));
      await logLazily('info', 'credentials rejected', { reason: 'unknown_app_key' });
      noteInvocation(lambdaContext('authorizer', 3_000));
      await logLazily('info', 'credentials rejected', { reason: 'invalid_token' });
    });
    expect(lines.map((line) => [line.reason, line.cold_start, line.function_name])).toEqual([
      ['unknown_app_key', false, 'authorizer'],
      ['invalid_token', false, 'authorizer'],
    ]);
  });
});
