/**
 * The single table's physical design, read by both the CDK stack and the local runtime so the two
 * cannot drift. Every access pattern that uses these keys is listed in docs/data-model.md.
 */
export interface IndexDesign {
  /** Named after the access pattern it serves. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; items carrying it (member tombstones, stream dedup markers) expire on their own. */
  ttlAttribute: 'expires_at',
  indexes: [
    /** A user's memberships and coach roles across organizations (relationship facts). */
    { name: 'by-user', partitionKey: 'user_pk', sortKey: 'user_sk' },
    /** An organization's audit events of one type, newest first. */
    { name: 'by-event-type', partitionKey: 'type_pk', sortKey: 'type_sk' },
  ] satisfies readonly IndexDesign[],
} as const;

/** Logical table name used by the local runtime and tests; the deployed name comes from the stack. */
export const LOCAL_TABLE_NAME = 'astral-local';

/**
 * Audit items (written by the stream consumer) carry this sort-key prefix. The event source mapping
 * filters them out so the audit writer never consumes its own writes.
 */
export const AUDIT_SORT_KEY_PREFIX = 'AUDIT#';
