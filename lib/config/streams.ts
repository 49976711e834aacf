/**
 * The stream consumers' event filters, as plain Lambda filter patterns. The stack hands them to
 * `FilterCriteria.filter` and the local poller evaluates the same data, so the two cannot drift.
 */

/** The `entity` the audit writer gives its own items (lib/audit/audit-log-repository.ts). */
export const AUDIT_EVENT_ENTITY = 'audit_event';
/** The `entity` of the feed projector's items (lib/feed): they carry `org_id` but are no audited change. */
export const FEED_ENTRY_ENTITY = 'feed_entry';
/** Sort-key prefix of activity items (lib/activities/activity-repository.ts). */
export const ACTIVITY_SORT_KEY_PREFIX = 'ACT#';

export type StreamFilterPattern = { readonly [key: string]: StreamFilterPattern | readonly unknown[] };

/**
 * Only records the audit consumer can turn into events reach it: inserts and updates (a bare REMOVE
 * is a TTL expiry) of items that belong to an organization, except the audit events themselves,
 * which would otherwise feed the consumer its own writes, and the feed projector's entries. Lambda
 * event filtering has no negated prefix (`anything-but` + `prefix` is EventBridge-only), so those
 * items are excluded by their `entity` rather than by their sort key.
 */
export const AUDIT_STREAM_FILTER_PATTERN: StreamFilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: {
    NewImage: {
      entity: { S: [{ 'anything-but': [AUDIT_EVENT_ENTITY, FEED_ENTRY_ENTITY] }] },
      org_id: { S: [{ exists: true }] },
    },
  },
};

/**
 * The feed projector sees activity inserts and deletes only. A REMOVE record carries only OldImage,
 * so the match is on the key (present in both), whose `ACT#` prefix only activities have; a positive
 * `prefix` is supported by Lambda filtering. The projector's own items (`FEED#…`) never match.
 */
export const FEED_STREAM_FILTER_PATTERN: StreamFilterPattern = {
  eventName: ['INSERT', 'REMOVE'],
  dynamodb: { Keys: { sk: { S: [{ prefix: ACTIVITY_SORT_KEY_PREFIX }] } } },
};

/** Filters per stream consumer (by manifest name). */
export const STREAM_FILTERS: Readonly<Record<string, readonly StreamFilterPattern[]>> = {
  'audit-log': [AUDIT_STREAM_FILTER_PATTERN],
  'feed-projector': [FEED_STREAM_FILTER_PATTERN],
};
