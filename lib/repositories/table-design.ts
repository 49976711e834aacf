/**
 * The single table's physical design: key attributes, indexes, the sort-key prefixes and entity names
 * the stream consumers' filters match on, and those filters. Read by the repositories, the CDK stack
 * and the local runtime, so none can drift from the others; a leaf module (it imports nothing), so
 * infra can read it without reaching repository code. Every access pattern using these keys is listed
 * in docs/data-model.md; key values themselves are built only in lib/repositories/keys.ts.
 */
export interface IndexDesign {
  /** Named after the access pattern it serves. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Index names, named after the access pattern each serves. */
export const INDEXES = {
  /** A user's memberships and coach roles across organizations (relationship facts). */
  byUser: 'by-user',
  /** An organization's audit events of one type, newest first. */
  byEventType: 'by-event-type',
  /** A leaderboard's entries (one board: organization or group, period bucket) ranked by one metric (ADR 0013). */
  boardByDistance: 'board-by-distance',
  boardByTime: 'board-by-time',
  boardByCount: 'board-by-count',
  boardByPace: 'board-by-pace',
  /** The live members assigned to one coach in one organization: the members list's `assigned_to_coach_id`, and who loses the assignment when the coach leaves (ADR 0027). */
  membersByCoach: 'members-by-coach',
} as const;

/**
 * The assignment index's partition attribute: `ORG#<org_id>#COACH#<coach_id>` on a member item while
 * the member is live and assigned to that coach, absent otherwise (a sparse index: only assigned
 * members are in it). Its sort key is the table's `sk` (`MEMBER#<user_id>`); it projects every
 * attribute, like the other indexes, so a coach's athletes are one Query of whole member items.
 */
export const ASSIGNMENT_PARTITION_ATTRIBUTE = 'assigned_pk';

/**
 * Not a key: the member item's own list of the groups holding it (ADR 0028), a string set written in
 * the same transaction as each group's `member_ids` (group-members-add / -remove) and removed by the
 * member's tombstone. A deleted group's id stays until the leaderboard projector takes it out (it
 * follows the group's tombstone), so a reader that must be exact confirms the ids on the groups.
 */
export const MEMBER_GROUPS_ATTRIBUTE = 'group_ids';

/**
 * The leaderboard read model's partition attribute (shared by the four board indexes) and each
 * metric's rank attribute: one item per (board, athlete) sits in all four orders (ADR 0013).
 */
export const BOARD_PARTITION_ATTRIBUTE = 'board_pk';
export const BOARD_RANK_ATTRIBUTES = {
  distance: 'board_distance',
  time: 'board_time',
  count: 'board_count',
  pace: 'board_pace',
} as const;
export const BOARD_INDEXES = {
  distance: INDEXES.boardByDistance,
  time: INDEXES.boardByTime,
  count: INDEXES.boardByCount,
  pace: INDEXES.boardByPace,
} as const;

export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Epoch seconds; items carrying it expire on their own: member tombstones, idempotency records,
   * access-log entries, board entries of ended buckets (ADR 0030).
   */
  ttlAttribute: 'expires_at',
  indexes: [
    { name: INDEXES.byUser, partitionKey: 'user_pk', sortKey: 'user_sk' },
    { name: INDEXES.byEventType, partitionKey: 'type_pk', sortKey: 'type_sk' },
    { name: INDEXES.boardByDistance, partitionKey: BOARD_PARTITION_ATTRIBUTE, sortKey: BOARD_RANK_ATTRIBUTES.distance },
    { name: INDEXES.boardByTime, partitionKey: BOARD_PARTITION_ATTRIBUTE, sortKey: BOARD_RANK_ATTRIBUTES.time },
    { name: INDEXES.boardByCount, partitionKey: BOARD_PARTITION_ATTRIBUTE, sortKey: BOARD_RANK_ATTRIBUTES.count },
    { name: INDEXES.boardByPace, partitionKey: BOARD_PARTITION_ATTRIBUTE, sortKey: BOARD_RANK_ATTRIBUTES.pace },
    { name: INDEXES.membersByCoach, partitionKey: ASSIGNMENT_PARTITION_ATTRIBUTE, sortKey: 'sk' },
  ] satisfies readonly IndexDesign[],
} as const;

/**
 * Audit items (written by the stream consumer) carry this sort-key prefix. The event source mapping
 * filters them out so the audit writer never consumes its own writes.
 */
export const AUDIT_SORT_KEY_PREFIX = 'AUDIT#';

/**
 * The stream consumers' event filters, as plain Lambda filter patterns. The stack hands them to
 * `FilterCriteria.filter` and the local poller evaluates the same data, so the two cannot drift.
 */

/** The `entity` the audit writer gives its own items (lib/repositories/audit-log-repository.ts). */
export const AUDIT_EVENT_ENTITY = 'audit_event';
/** The `entity` of the feed projector's items (lib/feed): they carry `org_id` but are no audited change. */
export const FEED_ENTRY_ENTITY = 'feed_entry';
/**
 * The `entity` of the leaderboard projector's items (lib/leaderboards): they carry no `org_id`, so
 * the audit filter never matches them, and their sort key (BOARD_SORT_KEY_PREFIX) no other filter.
 */
export const BOARD_ENTRY_ENTITY = 'board_entry';
/** Sort-key prefix of leaderboard entries, in their athlete's partition (lib/repositories/keys.ts). */
export const BOARD_SORT_KEY_PREFIX = 'BOARD#';
/** Sort key of profile items (lib/repositories/keys.ts). */
export const PROFILE_SORT_KEY = 'PROFILE';
/** Sort-key prefix of training groups (lib/repositories/keys.ts). */
export const GROUP_SORT_KEY_PREFIX = 'GROUP#';
/** Sort-key prefix of activity items (lib/repositories/keys.ts). */
export const ACTIVITY_SORT_KEY_PREFIX = 'ACT#';
/**
 * Sort-key prefix of activity summaries, the items lists read (docs/adr/0017). `ACTSUM#` does not
 * start with `ACT#`, so a consumer matching activities by key prefix (the feed projector) never sees
 * a summary; and summaries hold no `org_id`, so the audit consumer never does either: the activity is
 * the change.
 */
export const ACTIVITY_SUMMARY_SORT_KEY_PREFIX = 'ACTSUM#';
/** The `entity` of activity summaries, so a stream filter on `entity` can tell them from activities. */
export const ACTIVITY_SUMMARY_ENTITY = 'activity_summary';

/**
 * Sort-key prefix of access-log entries, in the ATHLETE's partition (ADR 0019): erasing the partition
 * erases them, and an athlete's log is one reverse Query. `ACCESS#` does not start with `ACT#`, so the
 * feed projector never sees one; the items carry no `org_id` (the audit filter needs one) and no
 * `PROFILE`/`GROUP#` key (the leaderboard filters), so no stream consumer reacts to a recorded read.
 */
export const ACCESS_SORT_KEY_PREFIX = 'ACCESS#';
/** The `entity` of access-log entries (lib/repositories/access-log-repository.ts). */
export const ACCESS_ENTRY_ENTITY = 'access_entry';

/**
 * An erasure job (ADR 0020): `ERASURE#<user_id>` / `ERASURE`, outside the user's partition so that
 * erasing the partition cannot erase the job. Its own writes (each pass moves its cursor) drive the
 * `erasure` stream consumer while it is `running`; a `done` job stays, holding only the id and times,
 * so late or replayed audit records about the user are written without their name.
 */
export const ERASURE_SORT_KEY = 'ERASURE';
export const ERASURE_ENTITY = 'erasure_job';
export const ERASURE_RUNNING = 'running';

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

/**
 * The leaderboard projector sees profile writes (period totals and membership ties change there, in
 * the activity's or the tie's own transaction) and training-group writes (who is in a group). Its own
 * items (`BOARD#…`) match neither.
 */
export const BOARD_STREAM_FILTER_PATTERNS: readonly StreamFilterPattern[] = [
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [PROFILE_SORT_KEY] } } } },
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: GROUP_SORT_KEY_PREFIX }] } } } },
];

/**
 * The erasure consumer sees its jobs' inserts and updates while they run: each pass's cursor update
 * is the next pass's trigger, and the last pass sets `state` to `done`, which matches no more.
 */
export const ERASURE_STREAM_FILTER_PATTERN: StreamFilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { sk: { S: [ERASURE_SORT_KEY] } }, NewImage: { state: { S: [ERASURE_RUNNING] } } },
};

/** Filters per stream consumer (by manifest name). */
export const STREAM_FILTERS: Readonly<Record<string, readonly StreamFilterPattern[]>> = {
  'audit-log': [AUDIT_STREAM_FILTER_PATTERN],
  'feed-projector': [FEED_STREAM_FILTER_PATTERN],
  'leaderboard-projector': BOARD_STREAM_FILTER_PATTERNS,
  erasure: [ERASURE_STREAM_FILTER_PATTERN],
};
