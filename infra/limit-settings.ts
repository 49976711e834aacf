import type { LimitSettings } from './constructs/fair-use';

/** WAF refuses a rate limit under 10 or over 2e9 requests per window. */
const WAF_LIMIT_RANGE = [10, 2_000_000_000] as const;
/** Lambda keeps 100 of an account's concurrency unreserved; the default account limit is 1,000. */
const RESERVED_CONCURRENCY_MAX = 900;

function wholeNumber(key: string, value: unknown, [min, max]: readonly [number, number]): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max)
    throw new Error(`context astral:${key} must be a whole number from ${min} to ${max}`);
  return number;
}

function flag(key: string, value: unknown): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  // `-c astral:waf=false` arrives as the string "false"; cdk.json may hold a boolean.
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context astral:${key} must be true or false`);
}

/**
 * The fair-use limits from cdk context (ADR 0023); an absent key keeps its default
 * (infra/constructs/fair-use.ts LIMIT_DEFAULTS), a malformed one fails synth naming the key.
 */
export function limitSettings(read: (key: string) => unknown): LimitSettings {
  const waf = flag('waf', read('waf'));
  const wafTokenLimit = wholeNumber('wafTokenLimit', read('wafTokenLimit'), WAF_LIMIT_RANGE);
  const wafAddressLimit = wholeNumber('wafAddressLimit', read('wafAddressLimit'), WAF_LIMIT_RANGE);
  const reserved = wholeNumber('authorizerReservedConcurrency', read('authorizerReservedConcurrency'), [0, RESERVED_CONCURRENCY_MAX]);
  return {
    ...(waf !== undefined ? { waf } : {}),
    ...(wafTokenLimit !== undefined ? { wafTokenLimit } : {}),
    ...(wafAddressLimit !== undefined ? { wafAddressLimit } : {}),
    ...(reserved !== undefined ? { authorizerReservedConcurrency: reserved } : {}),
  };
}
