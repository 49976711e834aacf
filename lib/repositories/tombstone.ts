/** How long a removal's tombstone stays readable (the audit stream has long consumed it by then). */
export const TOMBSTONE_TTL_SECONDS = 30 * 24 * 60 * 60;

/** `expires_at` for the table's TTL: epoch seconds, as DynamoDB TTL requires. */
export function tombstoneExpiry(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000) + TOMBSTONE_TTL_SECONDS;
}
