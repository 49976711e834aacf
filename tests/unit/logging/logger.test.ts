import { lambdaContext } from '../../../local/lambda-context';
import { captureLogs } from '../../support/log-capture';

// Lambda sets it before any code loads; the logger reads it when it is built.
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
type Logging = typeof import('../../../lib/logging');
let log: Logging['log'];
let withLambdaContext: Logging['withLambdaContext'];

beforeAll(async () => {
  ({ log, withLambdaContext } = await import('../../../lib/logging'));
});

describe('log lines', () => {
  const saved = { trace: process.env._X_AMZN_TRACE_ID, quiet: process.env.ASTRAL_QUIET };
  afterEach(() => {
    for (const [name, value] of [
      ['_X_AMZN_TRACE_ID', saved.trace],
      ['ASTRAL_QUIET', saved.quiet],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('carry the X-Ray trace id Lambda sets for the invocation, the function and the cold-start flag', () => {
    process.env.ASTRAL_QUIET = 'false';
    process.env._X_AMZN_TRACE_ID = 'Root=1-67a2b3c4-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
    const logs = captureLogs();
    try {
      withLambdaContext(lambdaContext('users-get', 3_000));
      log('info', 'request', { route: 'users-get', status: 200, request_id: 'req-1', absent: undefined });
      withLambdaContext(lambdaContext('users-get', 3_000));
      log('warn', 'table unavailable', { route: 'users-get' });
    } finally {
      logs.restore();
    }
    const [first, second] = logs.records();
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'astral',
      route: 'users-get',
      status: 200,
      request_id: 'req-1',
      function_name: 'users-get',
      cold_start: true,
      xray_trace_id: '1-67a2b3c4-0123456789abcdef01234567',
    });
    expect(first).not.toHaveProperty('absent');
    expect(second).toMatchObject({ level: 'WARN', cold_start: false });
  });

  it('skip info lines under ASTRAL_QUIET, never warnings or errors', () => {
    process.env.ASTRAL_QUIET = 'true';
    const logs = captureLogs();
    try {
      log('info', 'request');
      log('error', 'unhandled error');
    } finally {
      logs.restore();
    }
    expect(logs.records().map((record) => record.level)).toEqual(['ERROR']);
  });
});
