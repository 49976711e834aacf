import { ValidationError } from '../errors';

/** The request header (api.md Conventions), lower-cased as the pipeline normalises headers. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * The client's Idempotency-Key, or undefined when it sent none. 1..128 visible ASCII characters:
 * anything else (empty, longer, a space, a control or non-ASCII character) is a 400 naming the header.
 */
export function idempotencyKeyOf(headers: Readonly<Record<string, string>>): string | undefined {
  if (!Object.hasOwn(headers, IDEMPOTENCY_HEADER)) return undefined;
  const key = headers[IDEMPOTENCY_HEADER] ?? '';
  if (!VALID_KEY.test(key))
    throw new ValidationError('invalid Idempotency-Key header', [
      { path: 'headers.idempotency-key', message: 'must be 1 to 128 visible ASCII characters' },
    ]);
  return key;
}
