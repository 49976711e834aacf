/**
 * Which DynamoDB failures mean "the table is throttling or out of reach" rather than "this request is
 * wrong" or "our code is wrong". The SDK has already retried these (they are the errors its standard
 * retry strategy treats as throttling or transient) by the time one reaches us.
 */
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const SERVER_SIDE = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** A transaction's per-item reasons that are capacity, not conditions or conflicts. */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * The SDK's retry middleware re-wraps what it cannot recognise as an Error (one from another realm,
 * e.g. Node's own socket errors seen from a vm context such as jest's) as
 * `AWS SDK error wrapper for <text>`, keeping only the text: a dropped connection still reads as one.
 */
const WRAPPED_NETWORK_FAILURE = /^AWS SDK error wrapper for .*(TimeoutError|socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)/;

interface AwsErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly CancellationReasons?: readonly { readonly Code?: unknown }[];
}

export function isTableUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message, $metadata, CancellationReasons } = error as AwsErrorShape;
  if (typeof message === 'string' && WRAPPED_NETWORK_FAILURE.test(message)) return true;
  if (typeof name === 'string' && (THROTTLING.has(name) || SERVER_SIDE.has(name))) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  if (status === 429 || status === 500 || status === 502 || status === 503 || status === 504) return true;
  if (name === 'TransactionCanceledException' && Array.isArray(CancellationReasons)) {
    return CancellationReasons.some((reason) => typeof reason?.Code === 'string' && THROTTLED_REASONS.has(reason.Code));
  }
  return false;
}
