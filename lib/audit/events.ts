import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { nowIso } from '../clock';

/** The audit event types of api.md, written only from the table's change stream. */
export type AuditEventType =
  | 'organization_created'
  | 'organization_updated'
  | 'member_added'
  | 'member_updated'
  | 'member_removed'
  | 'coach_added'
  | 'coach_removed'
  | 'group_created'
  | 'group_updated'
  | 'group_deleted'
  | 'group_member_added'
  | 'group_member_removed'
  | 'member_accepted'
  | 'member_declined'
  | 'coach_accepted'
  | 'coach_declined';

export interface FieldChange {
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditEvent {
  /** Derived from the stream record's event id, so a redelivered record maps to the same event. */
  readonly event_id: string;
  /**
   * The stream record's sequence number, zero-padded so it sorts as a string: events of the same
   * second keep the order in which their changes happened.
   */
  readonly sequence: string;
  readonly event_type: AuditEventType;
  readonly actor_id: string;
  readonly target_id: string;
  readonly target_name: string;
  readonly org_id: string;
  readonly created_at: string;
  readonly changes?: Readonly<Record<string, FieldChange>>;
}

type Image = Record<string, unknown>;

/** Bookkeeping attributes that change on every write and say nothing to a reader of the log. */
// `coaches` mirrors the coach items on the organization; their own coach_added/coach_removed events say it.
// `head_coach_consent` mirrors the head-coach link, whose own coach_accepted/coach_declined says it.
const IGNORED_FIELDS = new Set([
  'coaches',
  'head_coach_consent',
  'answered_at',
  'pk',
  'sk',
  'entity',
  'user_pk',
  'user_sk',
  // The assignment index's key (ASSIGNMENT_PARTITION_ATTRIBUTE, ADR 0027): it moves with assigned_coach_id, which says it.
  'assigned_pk',
  // A member's own list of its groups (MEMBER_GROUPS_ATTRIBUTE, ADR 0028): the group's group_member_added/removed says it.
  'group_ids',
  'type_pk',
  'type_sk',
  'updated_at',
  'last_actor_id',
  'name_key',
  'expires_at',
  'removed_by',
  'removed_at',
]);

function image(value: Record<string, AttributeValue> | undefined): Image | undefined {
  // aws-lambda's AttributeValue and the SDK's are the same wire shape under different declarations.
  return value ? (unmarshall(value as Parameters<typeof unmarshall>[0]) as Image) : undefined;
}

const str = (img: Image | undefined, key: string): string | undefined => {
  const value = img?.[key];
  return typeof value === 'string' ? value : undefined;
};

function changedFields(before: Image, after: Image): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED_FIELDS.has(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key], after: after[key] };
  }
  return changes;
}

function createdAt(record: DynamoDBRecord): string {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return nowIso(typeof seconds === 'number' ? new Date(seconds * 1000) : new Date());
}

const isRemoved = (img: Image | undefined): boolean => str(img, 'status') === 'removed';

/** The answer a write recorded: the tie's consent left `pending` (privacy.md §8), else undefined. */
function answerOf(before: Image | undefined, after: Image | undefined): 'accepted' | 'declined' | undefined {
  if (str(before, 'consent') !== 'pending') return undefined;
  const now = str(after, 'consent');
  return now === 'accepted' || now === 'declined' ? now : undefined;
}

const ANSWER_EVENTS = {
  member: { accepted: 'member_accepted', declined: 'member_declined' },
  coach: { accepted: 'coach_accepted', declined: 'coach_declined' },
} as const satisfies Record<string, Record<'accepted' | 'declined', AuditEventType>>;

/** One stream record of an organization-owned item, and how to make the events it means. */
interface RecordChange {
  readonly before: Image | undefined;
  readonly after: Image | undefined;
  /** The item as it is now (after), or as it was (before) when it is gone. */
  readonly current: Image;
  readonly orgId: string;
  readonly inserted: boolean;
  event(type: AuditEventType, target: { id: string; name: string }, suffix?: string, changes?: Record<string, FieldChange>): AuditEvent;
}

/**
 * Maps one stream record to the audit events it means. Removals are tombstones (status `removed`,
 * `removed_by`) so the actor is known; a bare REMOVE is a TTL expiry of a tombstone and means nothing.
 */
export function auditEventsFromRecord(record: DynamoDBRecord): AuditEvent[] {
  const change = recordChange(record);
  if (!change) return [];
  switch (str(change.current, 'entity')) {
    case 'organization':
      return organizationEvents(change);
    case 'member':
      return tieEvents(change, 'member');
    case 'coach':
      return tieEvents(change, 'coach');
    case 'head_coach':
      return headCoachEvents(change);
    case 'group':
      return groupEvents(change);
    default:
      return [];
  }
}

function recordChange(record: DynamoDBRecord): RecordChange | undefined {
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  const current = after ?? before;
  const orgId = str(current, 'org_id');
  if (!current || !str(current, 'entity') || !orgId || record.eventName === 'REMOVE') return undefined;
  const baseId = record.eventID ?? `${record.dynamodb?.SequenceNumber ?? 'unknown'}`;
  const actor = str(after, 'removed_by') ?? str(after, 'last_actor_id') ?? 'unknown';
  const at = createdAt(record);
  const sequence = (record.dynamodb?.SequenceNumber ?? '').padStart(40, '0');
  return {
    before,
    after,
    current,
    orgId,
    inserted: record.eventName === 'INSERT' || !before,
    event: (type, target, suffix = '', changes) => ({
      event_id: `${baseId}${suffix}`,
      sequence,
      event_type: type,
      actor_id: actor,
      target_id: target.id,
      target_name: target.name,
      org_id: orgId,
      created_at: at,
      ...(changes && Object.keys(changes).length > 0 ? { changes } : {}),
    }),
  };
}

function organizationEvents({ before, after, orgId, inserted, event }: RecordChange): AuditEvent[] {
  const target = { id: orgId, name: str(after, 'org_name') ?? '' };
  if (inserted || !before) return [event('organization_created', target)];
  const changes = changedFields(before, after ?? {});
  return Object.keys(changes).length > 0 ? [event('organization_updated', target, '', changes)] : [];
}

function tieEvents({ before, after, current, inserted, event }: RecordChange, entity: 'member' | 'coach'): AuditEvent[] {
  const userId = str(current, 'user_id') ?? '';
  // A member's coach-assigned nickname, else the athlete's own name stored at join; a coach's `name`.
  const target = { id: userId, name: str(current, 'display_name') ?? str(current, 'athlete_name') ?? str(current, 'name') ?? userId };
  const [added, removed, updated] =
    entity === 'member'
      ? (['member_added', 'member_removed', 'member_updated'] as const)
      : (['coach_added', 'coach_removed', undefined] as const);
  // Erasure (ADR 0020) ends the tie with the user as the actor and takes the names off the item: one
  // removal if the tie was live, nothing if it already was a tombstone, and never the names it dropped.
  if (str(after, 'erased_at') !== undefined && str(before, 'erased_at') === undefined)
    return isRemoved(before) ? [] : [event(removed, { id: userId, name: userId })];
  // The user's own answer: an acceptance, or a decline (which ends the tie as a tombstone).
  const answer = inserted ? undefined : answerOf(before, after);
  if (answer) return [event(ANSWER_EVENTS[entity][answer], target)];
  if (isRemoved(after) && !isRemoved(before)) return [event(removed, target)];
  if (inserted || !before || (isRemoved(before) && !isRemoved(after))) return isRemoved(after) ? [] : [event(added, target)];
  const changes = changedFields(before, after ?? {});
  return updated && Object.keys(changes).length > 0 ? [event(updated, target, '', changes)] : [];
}

/** The head coach's answer to the designation (the link never ends: head coaches never change). */
function headCoachEvents({ before, after, current, inserted, event }: RecordChange): AuditEvent[] {
  const answer = inserted ? undefined : answerOf(before, after);
  const userId = str(current, 'user_id') ?? '';
  return answer ? [event(ANSWER_EVENTS.coach[answer], { id: userId, name: userId })] : [];
}

function groupEvents({ before, after, current, inserted, event }: RecordChange): AuditEvent[] {
  const groupId = str(current, 'group_id') ?? '';
  const target = { id: groupId, name: str(current, 'name') ?? groupId };
  if (isRemoved(after) && !isRemoved(before)) return [event('group_deleted', target)];
  if (inserted || !before) return [event('group_created', target)];
  const events: AuditEvent[] = [];
  const was = groupMembers(before);
  const now = groupMembers(after);
  for (const id of now) if (!was.has(id)) events.push(event('group_member_added', { id, name: id }, `#+${id}`));
  for (const id of was) if (!now.has(id)) events.push(event('group_member_removed', { id, name: id }, `#-${id}`));
  const { member_ids: _a, ...restBefore } = before;
  const { member_ids: _b, ...restAfter } = after ?? {};
  const changes = changedFields(restBefore, restAfter);
  if (Object.keys(changes).length > 0) events.push(event('group_updated', target, '', changes));
  return events;
}

const groupMembers = (img: Image | undefined): Set<string> =>
  new Set(Array.isArray(img?.member_ids) || img?.member_ids instanceof Set ? [...(img.member_ids as Iterable<string>)] : []);
