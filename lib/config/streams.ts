/**
 * The stream consumers' event filters, as plain Lambda filter patterns. The stack hands them to
 * `FilterCriteria.filter` and the local poller evaluates the same data, so the two cannot drift.
 */

/** The `entity` the audit writer gives its own items (lib/audit/audit-log-repository.ts). */
export const AUDIT_EVENT_ENTITY = 'audit_event';

export type StreamFilterPattern = { readonly [key: string]: StreamFilterPattern | readonly unknown[] };

/**
 * Only records the audit consumer can turn into events reach it: inserts and updates (a bare REMOVE
 * is a TTL expiry) of items that belong to an organization, except the audit events themselves,
 * which would otherwise feed the consumer its own writes. Lambda event filtering has no negated
 * prefix (`anything-but` + `prefix` is EventBridge-only), so the writer's items are excluded by
 * their `entity` rather than by their `AUDIT#` sort key.
 */
export const AUDIT_STREAM_FILTER_PATTERN: StreamFilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: {
    NewImage: {
      entity: { S: [{ 'anything-but': [AUDIT_EVENT_ENTITY] }] },
      org_id: { S: [{ exists: true }] },
    },
  },
};

/** Filters per stream consumer (by manifest name). */
export const STREAM_FILTERS: Readonly<Record<string, readonly StreamFilterPattern[]>> = {
  'audit-log': [AUDIT_STREAM_FILTER_PATTERN],
};
