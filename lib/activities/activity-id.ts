import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Activity ids sort by start time: 9 base-36 digits of the start (ms since 1970, fixed width, so
 * string order is time order until the year 5188) then 16 random base-62 characters (≈95 bits; with
 * the time prefix, unguessable). A reverse Query on `ACT#` is then newest first with no index.
 */
export function newActivityId(startTime: string): string {
  const prefix = Date.parse(startTime).toString(36).padStart(9, '0');
  let random = '';
  for (const byte of randomBytes(16)) random += ALPHABET[byte % 62];
  return `act_${prefix}${random}`;
}

export const ACTIVITY_ID_PATTERN = /^act_[0-9a-z]{9}[A-Za-z0-9]{16}$/;
