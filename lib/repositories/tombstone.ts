import { ASSIGNMENT_PARTITION_ATTRIBUTE, MEMBER_GROUPS_ATTRIBUTE } from './table-design';

/** How long a removal's tombstone stays readable (the audit stream has long consumed it by then). */
export const TOMBSTONE_TTL_SECONDS = 30 * 24 * 60 * 60;

/** `expires_at` for the table's TTL: epoch seconds, as DynamoDB TTL requires. */
export function tombstoneExpiry(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000) + TOMBSTONE_TTL_SECONDS;
}

/**
 * A member's tombstone leaves the assignment index (ADR 0027; its `assigned_coach_id` stays for the
 * audit log) and forgets its groups (ADR 0028; the removal has left every one of them).
 */
export const MEMBER_TOMBSTONE_REMOVES: readonly string[] = [ASSIGNMENT_PARTITION_ATTRIBUTE, MEMBER_GROUPS_ATTRIBUTE];

/**
 * The update that turns a live item into a tombstone naming its remover (the audit stream reads
 * `removed_by`), conditional on the item being live, so removing twice is a clean failure. `removes`
 * names attributes a tombstone must not keep (a member's index key, so it leaves that index).
 */
export function tombstoneUpdate(table: string, key: Record<string, string>, actorId: string, now: string, removes: readonly string[] = []) {
  const removed = removes.map((_, i) => `#r${i}`);
  return {
    TableName: table,
    Key: key,
    UpdateExpression:
      'SET #status = :removed, removed_by = :actor, removed_at = :now, expires_at = :ttl, last_actor_id = :actor, updated_at = :now' +
      (removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''),
    ConditionExpression: 'attribute_exists(pk) AND #status <> :removed',
    ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(removes.map((name, i) => [`#r${i}`, name])) },
    ExpressionAttributeValues: { ':removed': 'removed', ':actor': actorId, ':now': now, ':ttl': tombstoneExpiry() },
  };
}
