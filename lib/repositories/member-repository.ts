import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../errors';
import { isConditionalCheckFailure } from './dynamo-errors';
import { MAX_TRANSACTION_ITEMS, transactNamed } from './transact';
import { leaveGroupsFor } from './group-membership';
import { withoutBookkeeping } from './item';
import { keys, MEMBER_PREFIX } from './keys';
import { startFrom } from './page-start';
import { updateExpression } from './update-expression';
import { MEMBER_TOMBSTONE_REMOVES, tombstoneUpdate } from './tombstone';
import { ASSIGNMENT_PARTITION_ATTRIBUTE, INDEXES, MEMBER_GROUPS_ATTRIBUTE } from './table-design';
import { consentOf, type Consent } from '../policy/consent';
import {
  changeMemberTie,
  inviteProfileTie,
  pendingInvitation,
  profileTieAttribute,
  refusedInvitation,
  removeProfileTie,
  type MemberTie,
} from './profile-ties';

export const MEMBER_STATUSES = ['active', 'inactive', 'suspended'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface Member {
  readonly org_id: string;
  readonly user_id: string;
  /** Coach-assigned nickname; absent when the coach gave none. */
  readonly display_name?: string;
  /** The athlete's own display name when added: the fallback for coach views and the audit log. */
  readonly athlete_name?: string;
  readonly member_level?: string;
  readonly labels: readonly string[];
  readonly status: MemberStatus | 'removed';
  /** The athlete's own answer to this membership (privacy.md §8); `pending` until they give one. */
  readonly consent: Consent;
  readonly assigned_coach_id?: string;
  /** Who added the member (the invitation the athlete answers). */
  readonly invited_by?: string;
  readonly answered_at?: string;
  readonly joined_at: string;
  readonly updated_at?: string;
}

export interface NewMember {
  readonly user_id: string;
  readonly athlete_name: string;
  readonly display_name?: string | undefined;
  readonly member_level?: string | undefined;
  readonly labels?: readonly string[] | undefined;
}

/** Fields a coach may change (a patch: absent or undefined leaves a field); `null` clears an optional one. */
export interface MemberChange {
  readonly display_name?: string | null | undefined;
  readonly member_level?: string | null | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly status?: MemberStatus | undefined;
  readonly assigned_coach_id?: string | null | undefined;
}

export interface MemberFilters {
  readonly status?: MemberStatus;
  readonly member_level?: string;
  readonly label?: string;
  readonly assigned_to_coach_id?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly lastKey?: Record<string, unknown>;
}

const ITEM_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'entity',
  'user_pk',
  'user_sk',
  ASSIGNMENT_PARTITION_ATTRIBUTE,
  MEMBER_GROUPS_ATTRIBUTE,
  'last_actor_id',
  'removed_by',
  'removed_at',
  'expires_at',
]);

/** The whole roster partition's member items (pattern 8). */
function rosterRange(orgId: string, startKey: Record<string, unknown> | undefined) {
  const pk = keys.organizationPartition(orgId);
  return {
    query: {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...startFrom(startKey, { equals: { pk }, prefixes: { sk: MEMBER_PREFIX }, attributes: ['pk', 'sk'] }),
    },
    names: {},
    values: { ':pk': pk, ':prefix': MEMBER_PREFIX },
  };
}

/** One coach's live assigned members, in the roster's order, from the `members-by-coach` index (pattern 33). */
function assignedRange(orgId: string, coachId: string, startKey: Record<string, unknown> | undefined) {
  const assignment = keys.assignment(orgId, coachId);
  return {
    query: {
      IndexName: INDEXES.membersByCoach,
      KeyConditionExpression: '#assigned = :assigned',
      ...startFrom(startKey, {
        equals: { ...assignment, pk: keys.organizationPartition(orgId) },
        prefixes: { sk: MEMBER_PREFIX },
        attributes: ['pk', 'sk', ASSIGNMENT_PARTITION_ATTRIBUTE],
      }),
    },
    names: { '#assigned': ASSIGNMENT_PARTITION_ATTRIBUTE },
    values: { ':assigned': assignment[ASSIGNMENT_PARTITION_ATTRIBUTE] },
  };
}

/** A stored member item as the domain's Member; labels default to none, an unknown consent reads as pending. */
export function toMember(item: Record<string, unknown>): Member {
  const stored = withoutBookkeeping<Omit<Member, 'labels' | 'consent'> & { labels?: unknown; consent?: unknown }>(item, ITEM_ATTRIBUTES);
  return { ...stored, labels: Array.isArray(stored.labels) ? stored.labels.map(String) : [], consent: consentOf(stored.consent) };
}

/** Builds `SET a = :a, … REMOVE b, …` from a partial change, with placeholders for every name. */

/**
 * The roster (docs/data-model.md, member items). Every write sets `last_actor_id`, which the audit
 * stream reads as the actor; a removal is a tombstone so the log can name who removed.
 */
export class MemberRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Strongly consistent: memberships decide access. Tombstones are returned too; callers check `status`. */
  async get(orgId: string, userId: string): Promise<Member | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.member(orgId, userId), ConsistentRead: true }));
    return out.Item ? toMember(out.Item) : undefined;
  }

  /**
   * A new member, or a removed one back: the put replaces the tombstone wholesale (a fresh `joined_at`
   * and a fresh `pending` consent: an answer belongs to one tie, never to the pair forever).
   * The athlete's profile gains the membership tie in the same transaction (profile-ties.ts).
   */
  async add(orgId: string, input: NewMember, actorId: string, headCoachId: string): Promise<Member> {
    const now = nowIso();
    const member: Member = {
      org_id: orgId,
      user_id: input.user_id,
      athlete_name: input.athlete_name,
      labels: [...(input.labels ?? [])],
      status: 'active',
      consent: 'pending',
      joined_at: now,
      updated_at: now,
      ...(input.display_name !== undefined ? { display_name: input.display_name } : {}),
      ...(input.member_level !== undefined ? { member_level: input.member_level } : {}),
    };
    const tie: MemberTie = { ...pendingInvitation(actorId, now), status: 'active', head_coach_user_id: headCoachId };
    const failed = await transactNamed(this.client, [
      {
        name: 'member',
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.member(orgId, input.user_id),
              ...keys.memberByUser(orgId, input.user_id),
              entity: 'member',
              last_actor_id: actorId,
              invited_by: actorId,
              ...member,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :removed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':removed': 'removed' },
          },
        },
      },
      { name: 'member-profile', item: { Update: inviteProfileTie(this.table, input.user_id, profileTieAttribute.member(orgId), tie) } },
    ]);
    if (failed.has('member'))
      throw new ConflictError('user is already a member of this organization', [{ path: 'user_id', message: 'already a member' }]);
    if (failed.has('member-profile'))
      throw await refusedInvitation(this.client, this.table, input.user_id, 'user_id', new NotFoundError('user not found'));
    return member;
  }

  /**
   * A status or assignment change moves the profile's membership tie in the same transaction, and
   * the member is then read back (a transaction returns no item); other changes are one UpdateItem.
   */
  async update(orgId: string, userId: string, change: MemberChange, actorId: string): Promise<Member> {
    const set: Record<string, unknown> = { updated_at: nowIso(), last_actor_id: actorId };
    const remove: string[] = [];
    for (const [field, value] of Object.entries(change)) {
      if (value === undefined) continue;
      if (value === null) remove.push(field);
      else set[field] = value;
    }
    // The assignment index follows the assignment (ADR 0027): in the same write, so the two never disagree.
    if (typeof change.assigned_coach_id === 'string') Object.assign(set, keys.assignment(orgId, change.assigned_coach_id));
    else if (change.assigned_coach_id === null) remove.push(ASSIGNMENT_PARTITION_ATTRIBUTE);
    const { expression, names, values } = updateExpression(set, remove);
    const memberUpdate = {
      TableName: this.table,
      Key: keys.member(orgId, userId),
      UpdateExpression: expression,
      ConditionExpression: 'attribute_exists(pk) AND #status <> :removed',
      ExpressionAttributeNames: { ...names, '#status': 'status' },
      ExpressionAttributeValues: { ...values, ':removed': 'removed' },
    };
    const tieChange = {
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.assigned_coach_id !== undefined ? { assigned_coach_id: change.assigned_coach_id } : {}),
    };
    if (Object.keys(tieChange).length === 0) {
      try {
        const out = await this.client.send(new UpdateCommand({ ...memberUpdate, ReturnValues: 'ALL_NEW' }));
        return toMember(out.Attributes ?? {});
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new NotFoundError('member not found');
        throw error;
      }
    }
    const failed = await transactNamed(this.client, [
      { name: 'member', item: { Update: memberUpdate } },
      { name: 'member-tie', item: { Update: changeMemberTie(this.table, orgId, userId, tieChange) } },
    ]);
    if (failed.has('member')) throw new NotFoundError('member not found');
    // A live member whose profile lacks the tie (written before ties were mirrored, ADR 0006): changing
    // status or assignment there would leave the two disagreeing, which decides who sees the athlete.
    if (failed.has('member-tie'))
      throw new ConflictError("the member's profile does not hold this membership; remove the member and add them again", [
        { path: 'user_id', message: 'membership tie missing on the profile' },
      ]);
    const stored = await this.get(orgId, userId);
    if (!stored) throw new NotFoundError('member not found');
    return stored;
  }

  /**
   * The removal, all or nothing where it fits: the tombstone naming the remover (TTL deletes it later;
   * that bare REMOVE means nothing to the audit log), the profile's tie, and the user's exit from every
   * group of the organization holding them, in ONE transaction (≤ 100 items: 98 groups). Groups beyond
   * that are left first, one update each, and the tombstone is always the last write: a removal
   * interrupted before it leaves a live member, and the retry finishes the job (200, not 404).
   * A group that changed meanwhile (deleted, or the user taken out) fails its condition: read the
   * groups again and retry.
   */
  async remove(orgId: string, userId: string, actorId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = nowIso();
      const groups = await leaveGroupsFor(this.client, this.table, orgId, userId, actorId, MAX_TRANSACTION_ITEMS - 2, now);
      const failed = await transactNamed<string>(this.client, [
        {
          name: 'member',
          item: { Update: tombstoneUpdate(this.table, keys.member(orgId, userId), actorId, now, MEMBER_TOMBSTONE_REMOVES) },
        },
        { name: 'member-profile', item: { Update: removeProfileTie(this.table, userId, profileTieAttribute.member(orgId)) } },
        ...groups,
      ]);
      if (failed.has('member')) throw new NotFoundError('member not found');
      if (failed.has('member-profile')) throw new NotFoundError('user not found');
      if (failed.size === 0) return;
    }
    // Contention, not a bug: the client may retry (503 with Retry-After).
    throw new ServiceUnavailableError();
  }

  /**
   * One Query page of the roster: `Limit` bounds what DynamoDB reads, and the filters apply after it,
   * so a filtered page may hold fewer than `limit` members while `lastKey` says there is more.
   * Removed members (tombstones) are never listed. Filtered on a coach, the page reads the
   * `members-by-coach` index instead (ADR 0027): only that coach's athletes, so its pages are full
   * whatever the roster's size, and the other filters thin them as on the roster.
   */
  async listPage(orgId: string, filters: MemberFilters, limit: number, startKey?: Record<string, unknown>): Promise<Page<Member>> {
    const conditions: string[] = [];
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    if (filters.status) {
      conditions.push('#status = :status');
      values[':status'] = filters.status;
    } else {
      conditions.push('#status <> :removed');
      values[':removed'] = 'removed';
    }
    if (filters.member_level !== undefined) {
      conditions.push('member_level = :level');
      values[':level'] = filters.member_level;
    }
    if (filters.label !== undefined) {
      conditions.push('contains(labels, :label)');
      values[':label'] = filters.label;
    }
    const range =
      filters.assigned_to_coach_id !== undefined
        ? assignedRange(orgId, filters.assigned_to_coach_id, startKey)
        : rosterRange(orgId, startKey);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        ...range.query,
        FilterExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { ...names, ...range.names },
        ExpressionAttributeValues: { ...values, ...range.values },
        Limit: limit,
      }),
    );
    return { items: (out.Items ?? []).map(toMember), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  /**
   * The live members assigned to a coach, for clearing the assignment when the coach leaves: one
   * Query of the sparse `members-by-coach` index per 1 MB of their items, so the cost follows the
   * coach's assigned members, not the roster (ADR 0027). The index lags its writes a moment: an
   * assignment made in that moment can be missed, as it could be when the assignment raced the
   * removal before; a stale assignment grants nothing (the engine requires the coach to still coach
   * here, with consent). One cleared in that moment is listed again, and its clearing is a no-op.
   */
  async listAssignedTo(orgId: string, coachId: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const range = assignedRange(orgId, coachId, startKey);
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          ...range.query,
          ExpressionAttributeNames: range.names,
          ExpressionAttributeValues: range.values,
          ProjectionExpression: 'user_id',
        }),
      );
      for (const item of out.Items ?? []) if (typeof item.user_id === 'string') ids.push(item.user_id);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  /** Clears one member's assignment (and their profile tie's) if it still names this coach (a concurrent reassignment wins). */
  async clearAssignment(orgId: string, userId: string, coachId: string, actorId: string): Promise<void> {
    // Either condition failing is the expected outcome of a race: the member was reassigned or removed
    // meanwhile (the new state wins), or their profile holds no tie, which relates nobody anyway.
    await transactNamed(this.client, [
      {
        name: 'member',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.member(orgId, userId),
            UpdateExpression: 'SET updated_at = :now, last_actor_id = :actor REMOVE assigned_coach_id, #assigned',
            ConditionExpression: 'assigned_coach_id = :coach AND #status <> :removed',
            ExpressionAttributeNames: { '#status': 'status', '#assigned': ASSIGNMENT_PARTITION_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowIso(), ':actor': actorId, ':coach': coachId, ':removed': 'removed' },
          },
        },
      },
      { name: 'member-tie', item: { Update: changeMemberTie(this.table, orgId, userId, { assigned_coach_id: null }) } },
    ]);
  }
}

/** What the assignment-index backfill did with one member item. */
export type AssignmentIndexOutcome = 'indexed' | 'unchanged';

/**
 * Gives a member item assigned before the `members-by-coach` index existed its index key (ADR 0027,
 * ops/backfill-assignment-index.ts). Conditional on the item still being live and assigned to that
 * coach without the key, so it races the API safely (a reassignment or removal meanwhile wins) and a
 * second run changes nothing. It sets no `last_actor_id` and changes no audited field, so the audit
 * stream makes no event of it.
 */
export async function indexMemberAssignment(
  client: DocumentClient,
  table: string,
  member: { readonly org_id: string; readonly user_id: string; readonly assigned_coach_id: string },
): Promise<AssignmentIndexOutcome> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.member(member.org_id, member.user_id),
        UpdateExpression: 'SET #assigned = :assigned',
        ConditionExpression: 'assigned_coach_id = :coach AND #status <> :removed AND attribute_not_exists(#assigned)',
        ExpressionAttributeNames: { '#assigned': ASSIGNMENT_PARTITION_ATTRIBUTE, '#status': 'status' },
        ExpressionAttributeValues: {
          ':assigned': keys.assignment(member.org_id, member.assigned_coach_id)[ASSIGNMENT_PARTITION_ATTRIBUTE],
          ':coach': member.assigned_coach_id,
          ':removed': 'removed',
        },
      }),
    );
    return 'indexed';
  } catch (error) {
    if (isConditionalCheckFailure(error)) return 'unchanged';
    throw error;
  }
}
