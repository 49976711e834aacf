import {
  ACCESS_SORT_KEY_PREFIX,
  ACTIVITY_SORT_KEY_PREFIX,
  ACTIVITY_SUMMARY_SORT_KEY_PREFIX,
  ASSIGNMENT_PARTITION_ATTRIBUTE,
  AUDIT_SORT_KEY_PREFIX,
  BOARD_SORT_KEY_PREFIX,
  ERASURE_SORT_KEY,
} from './table-design';
import type { Period } from '../activities/period-totals';

/**
 * Pure key builders for every entity in the single table (docs/data-model.md lists the patterns).
 * Names and ids are embedded verbatim: ids are validated at the edge and never contain `#`.
 */
/** Who owns an Idempotency-Key record (`user:<id>` or `app:<id>`), so two callers' keys never collide. */
export const idempotencyCaller = (kind: 'user' | 'app', id: string): string => `${kind}:${id}`;

const auditTypePartition = (orgId: string, type: string): string => `ORG#${orgId}#${type}`;

export const keys = {
  organization: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'ORG' }),
  /** Uniqueness marker for an organization name, written in the same transaction as the org. */
  organizationName: (normalizedName: string) => ({ pk: `ORGNAME#${normalizedName}`, sk: 'ORGNAME' }),
  /** Links the head coach to the organization in the `by-user` index (a user's ties, pattern 10b). */
  headCoachLink: (orgId: string, userId: string) => ({
    pk: `ORG#${orgId}`,
    sk: 'HEADCOACH',
    user_pk: `USER#${userId}`,
    user_sk: `ORG#${orgId}#HEAD`,
  }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** Everything in a user's own partition: profile, activities, summaries, board and access-log entries. */
  userPartition: (userId: string) => `USER#${userId}`,
  /** A user's erasure job (ADR 0020), outside their partition. */
  erasureJob: (userId: string) => ({ pk: `ERASURE#${userId}`, sk: ERASURE_SORT_KEY }),
  appKey: (keyHash: string) => ({ pk: `APPKEY#${keyHash}`, sk: 'APPKEY' }),
  /**
   * An Idempotency-Key record: per caller (`user:<id>` or `app:<id>`, so two callers' keys never
   * collide), then the route (method and path template, which hold no `#`) and the client's key.
   */
  idempotency: (caller: string, route: string, key: string) => ({ pk: `IDEMPOTENCY#${caller}`, sk: `${route}#${key}` }),
  /** Every Idempotency-Key record a user's requests left (erasure deletes them: they hold responses). */
  idempotencyOfUser: (userId: string) => `IDEMPOTENCY#${idempotencyCaller('user', userId)}`,
  member: (orgId: string, userId: string) => ({ pk: `ORG#${orgId}`, sk: `${MEMBER_PREFIX}${userId}` }),
  /** The member's entry in the `by-user` index (a user's ties, pattern 10b; relationships read profile ties, ADR 0006). */
  memberByUser: (orgId: string, userId: string) => ({ user_pk: `USER#${userId}`, user_sk: `ORG#${orgId}#MEMBER` }),
  /** A member's entry in the `members-by-coach` index (ADR 0027), on the member item while it is live and assigned to the coach. */
  assignment: (orgId: string, coachId: string) => ({ [ASSIGNMENT_PARTITION_ATTRIBUTE]: `ORG#${orgId}#COACH#${coachId}` }),
  coach: (orgId: string, userId: string) => ({ pk: `ORG#${orgId}`, sk: `${COACH_PREFIX}${userId}` }),
  coachByUser: (orgId: string, userId: string) => ({ user_pk: `USER#${userId}`, user_sk: `ORG#${orgId}#COACH` }),
  group: (orgId: string, groupId: string) => ({ pk: `ORG#${orgId}`, sk: `${GROUP_PREFIX}${groupId}` }),
  /** Partition of everything an organization owns; list queries add a sort-key prefix. */
  organizationPartition: (orgId: string) => `ORG#${orgId}`,
  /** Every tie of a user in the `by-user` index: member, coach and head-coach links (pattern 10). */
  tiesOfUser: (userId: string) => ({ user_pk: `USER#${userId}`, user_skPrefix: 'ORG#' }),

  /** Activities live in their owner's partition, sorted by id (= by start time). */
  activity: (userId: string, activityId: string) => ({ pk: `USER#${userId}`, sk: `${ACTIVITY_SORT_KEY_PREFIX}${activityId}` }),
  activitiesOf: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: ACTIVITY_SORT_KEY_PREFIX }),
  /** An activity's summary (what lists read) beside it, sorted the same way: a reverse Query is newest first. */
  activitySummary: (userId: string, activityId: string) => ({
    pk: `USER#${userId}`,
    sk: `${ACTIVITY_SUMMARY_SORT_KEY_PREFIX}${activityId}`,
  }),
  activitySummariesOf: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: ACTIVITY_SUMMARY_SORT_KEY_PREFIX }),
  /** The activity id a summary's sort key holds (the item does not repeat it: docs/adr/0017). */
  activityIdOfSummary: (sk: string) => sk.slice(ACTIVITY_SUMMARY_SORT_KEY_PREFIX.length),

  /**
   * Feed entries: `FEED#<org_id>` / `<start time, UTC>#<activity_id>`, so a reverse Query is newest
   * first. The start time is normalised to UTC because clients may send offsets, which would not sort.
   */
  feedPartition: (orgId: string) => `FEED#${orgId}`,
  feedEntry: (orgId: string, startTime: string, activityId: string) => ({
    pk: `FEED#${orgId}`,
    sk: `${new Date(startTime).toISOString()}#${activityId}`,
  }),

  /**
   * One leaderboard (ADR 0013): an organization's whole roster or one of its training groups, for one
   * period bucket (`week#2026-W12`). It is both the entries' sort key in their athlete's partition
   * (so an athlete's entries are one Query: `BOARD#`, or `BOARD#<org_id>#` for one organization) and
   * the board indexes' partition (`board_pk`), so a board is one Query per page in rank order.
   */
  board: (orgId: string, scope: BoardScope, period: string, bucket: string): string =>
    `${boardScopePrefix(orgId, scope)}${period}#${bucket}`,
  /** An athlete's entry on one board. */
  boardEntry: (userId: string, board: string) => ({ pk: `USER#${userId}`, sk: board }),
  /** An athlete's entries: on every board (`orgId` undefined), in one organization, or one scope of it. */
  boardEntriesOf: (userId: string, orgId?: string, scope?: BoardScope) => ({
    pk: `USER#${userId}`,
    skPrefix:
      orgId === undefined
        ? BOARD_SORT_KEY_PREFIX
        : scope === undefined
          ? `${BOARD_SORT_KEY_PREFIX}${orgId}#`
          : boardScopePrefix(orgId, scope),
  }),

  /**
   * One access-log entry (ADR 0019): reads of an athlete by one viewer in one privacy context on one
   * UTC day, in the athlete's partition; day first, so a reverse Query is newest day first.
   */
  accessEntry: (athleteId: string, day: string, viewerId: string, context: string) => ({
    pk: `USER#${athleteId}`,
    sk: `${ACCESS_SORT_KEY_PREFIX}${day}#${viewerId}#${context}`,
  }),
  /** An athlete's access log. */
  accessLogOf: (athleteId: string) => ({ pk: `USER#${athleteId}`, skPrefix: ACCESS_SORT_KEY_PREFIX }),

  /** Time, then stream order within the second, then the event id (unique: the exactly-once key). */
  auditEvent: (orgId: string, createdAt: string, sequence: string, eventId: string) => ({
    pk: `ORG#${orgId}`,
    sk: `${AUDIT_SORT_KEY_PREFIX}${createdAt}#${sequence}#${eventId}`,
  }),
  /** The same event in the `by-event-type` index (pattern: an organization's events of one type). */
  auditEventByType: (orgId: string, type: string, createdAt: string, sequence: string, eventId: string) => ({
    type_pk: auditTypePartition(orgId, type),
    type_sk: `${createdAt}#${sequence}#${eventId}`,
  }),
  /** An organization's audit events, newest first with a reverse Query. */
  auditEventsOf: (orgId: string) => ({ pk: `ORG#${orgId}`, skPrefix: AUDIT_SORT_KEY_PREFIX }),
  /** An organization's audit events of one type, in the `by-event-type` index. */
  auditEventsOfType: (orgId: string, type: string) => ({ type_pk: auditTypePartition(orgId, type) }),
} as const;

/** `keys.board`'s shape (BOARD_SORT_KEY_PREFIX, then the scope, the period of PERIODS and the bucket); a literal, so it costs no function that never reads a board key back. */
const BOARD_KEY = /^BOARD#[^#]+#(?:ORG|GRP#[^#]+)#(week|month|year|all)#([^#]+)$/;

/**
 * The period and bucket a board key ends with (`…#week#2026-W12`): `keys.board` read back, for a
 * pass over stored entries (the expiry backfill, ADR 0030); undefined for any other key.
 */
export function boardPeriodOf(board: string): { readonly period: Period; readonly bucket: string } | undefined {
  const match = BOARD_KEY.exec(board);
  return match?.[1] && match[2] ? { period: match[1] as Period, bucket: match[2] } : undefined;
}

/** A board's scope: the organization's whole roster, or one training group of it. */
export type BoardScope = { readonly groupId?: string | undefined };

function boardScopePrefix(orgId: string, scope: BoardScope): string {
  return `${BOARD_SORT_KEY_PREFIX}${orgId}#${scope.groupId === undefined ? 'ORG#' : `GRP#${scope.groupId}#`}`;
}

export const MEMBER_PREFIX = 'MEMBER#';
export const COACH_PREFIX = 'COACH#';
export const GROUP_PREFIX = 'GROUP#';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The folded form organization-name uniqueness compares (api.md: normalized, case- and space-folded):
 * NFKC (so "Ｓummit" and "ﬁ" fold to "Summit" and "fi"), default-ignorable characters removed (soft
 * hyphens, variation selectors, any zero-width character a name rule might let through), whitespace
 * runs collapsed to one space and trimmed, lower-cased: "  Summit  Running club" → "summit running club".
 * Names with control, bidi or zero-width characters are refused before (lib/field-rules.ts); the
 * removal is the second line, so no invisible character can make a second "Summit Running Club".
 */
export function normalizeOrganizationName(name: string): string {
  return name.normalize('NFKC').replace(DEFAULT_IGNORABLE, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The fold names were stored under before default-ignorable characters were dropped (issue 13): the
 * key of an organization created then whose name holds one. Only a rename reads it, to move that
 * marker (lib/repositories/organization-update.ts).
 */
export function legacyOrganizationNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
