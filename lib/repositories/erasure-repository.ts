import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { batchWriteItems, type WriteRequest } from './batch-write';
import { isConditionalCheckFailure } from './dynamo-errors';
import { coachesListRemoval, readCoachesList } from './coach-repository';
import { leaveGroupsFor } from './group-membership';
import { keys } from './keys';
import { MemberRepository } from './member-repository';
import { profileTiesOf } from './profile-ties';
import {
  ACTIVITY_SORT_KEY_PREFIX,
  ASSIGNMENT_PARTITION_ATTRIBUTE,
  ERASURE_ENTITY,
  ERASURE_RUNNING,
  INDEXES,
  MEMBER_GROUPS_ATTRIBUTE,
} from './table-design';
import { tombstoneExpiry } from './tombstone';
import { transactNamed } from './transact';
import { queryUserTies } from './user-ties';

/** The job's stages, in order (ADR 0020). */
export const ERASURE_STEPS = ['ties', 'audit', 'partition', 'idempotency', 'sweep'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/** Where a stage stopped: an organization and event type by position, and a page's start key. */
export interface ErasureCursor {
  readonly org?: number;
  readonly type?: number;
  readonly key?: Record<string, unknown>;
}

export interface ErasureJob {
  readonly user_id: string;
  readonly state: 'running' | 'done';
  readonly step: ErasureStep;
  /** Every organization the user held a tie in when the job started (ids only). */
  readonly orgs: readonly string[];
  /** Passes so far: each pass's write is conditioned on it, so a redelivered trigger does nothing. */
  readonly pass: number;
  readonly cursor?: ErasureCursor;
  readonly started_at: string;
  readonly completed_at?: string;
  readonly items_deleted: number;
}

/** What a request to erase found: it started the job, one is running or done, or there is no such user. */
export type ErasureStart = 'started' | 'running' | 'done' | 'not_found';

/** The audit event types whose target is a user (their `target_name` is that user's name). */
export const USER_TARGET_EVENT_TYPES = [
  'member_added',
  'member_updated',
  'member_removed',
  'member_accepted',
  'member_declined',
  'coach_added',
  'coach_removed',
  'coach_accepted',
  'coach_declined',
] as const;

type Item = Record<string, unknown>;
const PAGE = 100;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const isStep = (value: unknown): value is ErasureStep => ERASURE_STEPS.some((step) => step === value);

function cursorOf(value: unknown): ErasureCursor | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { org, type, key } = value as Item;
  return {
    ...(typeof org === 'number' ? { org } : {}),
    ...(typeof type === 'number' ? { type } : {}),
    ...(key && typeof key === 'object' ? { key: key as Item } : {}),
  };
}

function jobOf(item: Item | undefined): ErasureJob | undefined {
  const userId = text(item?.user_id);
  if (!item || userId === undefined || !isStep(item.step)) return undefined;
  const cursor = cursorOf(item.cursor);
  const completedAt = text(item.completed_at);
  return {
    user_id: userId,
    state: item.state === 'done' ? 'done' : 'running',
    step: item.step,
    orgs: Array.isArray(item.orgs) ? item.orgs.filter((org): org is string => typeof org === 'string') : [],
    pass: typeof item.pass === 'number' ? item.pass : 0,
    ...(cursor ? { cursor } : {}),
    started_at: text(item.started_at) ?? '',
    ...(completedAt ? { completed_at: completedAt } : {}),
    items_deleted: typeof item.items_deleted === 'number' ? item.items_deleted : 0,
  };
}

/**
 * The erasure job's item and the writes it is made of (docs/data-model.md patterns 29-31). Every
 * write here is idempotent: a pass interrupted anywhere is run again from its cursor and finds
 * already-erased items as harmless no-ops.
 */
export class ErasureRepository {
  private readonly members: MemberRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.members = new MemberRepository(client, table);
  }

  async job(userId: string): Promise<ErasureJob | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.erasureJob(userId), ConsistentRead: true }));
    return jobOf(out.Item);
  }

  /**
   * Starts the erasure: ONE transaction puts the job (naming every organization the profile ties the
   * user to) and deletes the profile, so from then on every read of the user is a 404 and every
   * relationship through them is gone, before any other item is touched.
   */
  async start(userId: string, now: string): Promise<ErasureStart> {
    const profile = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.user(userId), ConsistentRead: true }));
    if (!profile.Item) {
      const existing = await this.job(userId);
      return existing ? existing.state : 'not_found';
    }
    const ties = profileTiesOf(profile.Item);
    const orgs = [...new Set([...ties.memberships.keys(), ...ties.coaching.keys(), ...ties.heading.keys()])];
    const job: ErasureJob = { user_id: userId, state: ERASURE_RUNNING, step: 'ties', orgs, pass: 0, started_at: now, items_deleted: 0 };
    const failed = await transactNamed(this.client, [
      {
        name: 'job',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.erasureJob(userId), entity: ERASURE_ENTITY, ...job },
            // A finished job of an earlier account under the same id may be replaced; a running one may not.
            ConditionExpression: 'attribute_not_exists(pk) OR #state <> :running',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':running': ERASURE_RUNNING },
          },
        },
      },
      { name: 'profile', item: { Delete: { TableName: this.table, Key: keys.user(userId), ConditionExpression: 'attribute_exists(pk)' } } },
    ]);
    if (failed.has('job')) return 'running';
    if (failed.has('profile')) return this.start(userId, now);
    return 'started';
  }

  /** Moves the job on, conditioned on the pass it read: false when another pass got there first. */
  async advance(job: ErasureJob, next: Partial<Pick<ErasureJob, 'step' | 'orgs' | 'cursor' | 'state' | 'completed_at'>>, deleted: number) {
    const sets: string[] = ['pass = :next', 'items_deleted = items_deleted + :deleted'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pass': job.pass, ':next': job.pass + 1, ':deleted': deleted };
    const removes: string[] = [];
    for (const [field, value] of Object.entries(next)) {
      names[`#${field}`] = field;
      if (value === undefined) removes.push(`#${field}`);
      else {
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
    }
    if (!('cursor' in next)) {
      names['#cursor'] = 'cursor';
      removes.push('#cursor');
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.erasureJob(job.user_id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'pass = :pass',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** Organizations the `by-user` index still knows the user in (tombstones included), beyond the job's. */
  async orgsOfTies(userId: string): Promise<string[]> {
    return (await queryUserTies(this.client, this.table, userId)).flatMap((tie) => (tie.org_id ? [tie.org_id] : []));
  }

  /**
   * Ends the user's ties in one organization, with the user as the actor: the member and coach items
   * become tombstones without the user's name (or lose it, if they already were), the coach leaves
   * the organization's `coaches` list, the user leaves every group, and the members assigned to the
   * user as their coach are left unassigned, as when a coach is removed. The head-coach link holds no
   * name and stays: the organization keeps its (now unreachable) head coach's opaque id.
   */
  async endTies(orgId: string, userId: string, now: string): Promise<number> {
    // No room in a transaction of ours: every group is left now, one conditional update each, and
    // first: the member item names the groups (ADR 0028) until its erased tombstone forgets them.
    await leaveGroupsFor(this.client, this.table, orgId, userId, userId, 0, now);
    let writes = await this.unassign(orgId, userId);
    for (const key of [keys.member(orgId, userId), keys.coach(orgId, userId)]) if (await this.eraseTie(key, userId, now)) writes++;
    writes += await this.leaveCoachList(orgId, userId, now);
    return writes;
  }

  /**
   * Clears the assignments that name the user as coach (the `members-by-coach` index, ADR 0027), with
   * the user as the actor: otherwise the roster would go on naming an erased coach and their
   * `assigned_to_coach_id` filter would still list those members. Two writes each (member and tie).
   */
  private async unassign(orgId: string, userId: string): Promise<number> {
    const assigned = await this.members.listAssignedTo(orgId, userId);
    for (const memberId of assigned) await this.members.clearAssignment(orgId, memberId, userId, userId);
    return assigned.length * 2;
  }

  private async eraseTie(key: { pk: string; sk: string }, userId: string, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          // removed_by only where the tie was live: a tombstone keeps who removed it then.
          UpdateExpression:
            'SET #status = :removed, removed_by = if_not_exists(removed_by, :actor), removed_at = if_not_exists(removed_at, :now), ' +
            'expires_at = :ttl, last_actor_id = :actor, updated_at = :now, erased_at = :now ' +
            'REMOVE display_name, athlete_name, #name, labels, member_level, assigned_coach_id, #assigned, #groups',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erased_at)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#name': 'name',
            '#assigned': ASSIGNMENT_PARTITION_ATTRIBUTE,
            '#groups': MEMBER_GROUPS_ATTRIBUTE,
          },
          ExpressionAttributeValues: { ':removed': 'removed', ':actor': userId, ':now': now, ':ttl': tombstoneExpiry() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  private async leaveCoachList(orgId: string, userId: string, now: string): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const index = (await readCoachesList(this.client, this.table, orgId)).findIndex((coach) => coach.user_id === userId);
      if (index < 0) return 0;
      try {
        await this.client.send(new UpdateCommand(coachesListRemoval(this.table, orgId, index, userId, userId, now)));
        return 1;
      } catch (error) {
        // The list moved (another coach added or removed): read it again.
        if (!isConditionalCheckFailure(error)) throw error;
      }
    }
    throw new Error(`coaches list of ${orgId} kept changing`);
  }

  /**
   * One page of an organization's audit events of one type about the user (the `by-event-type` index,
   * filtered on the target): each keeps its type, actor, time and the user's opaque id, and loses the
   * name and the field changes (a nickname, labels). Returns the next page's start key.
   */
  async scrubAuditPage(orgId: string, type: string, userId: string, startKey?: Record<string, unknown>) {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEXES.byEventType,
        KeyConditionExpression: 'type_pk = :pk',
        FilterExpression: 'target_id = :user',
        ExpressionAttributeValues: { ':pk': keys.auditEventsOfType(orgId, type).type_pk, ':user': userId },
        ProjectionExpression: 'pk, sk',
        Limit: PAGE,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET target_name = :user REMOVE changes',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':user': userId },
        }),
      );
    }
    return { writes: out.Items?.length ?? 0, next: out.LastEvaluatedKey };
  }

  /**
   * One page of the user's partition deleted (activities, summaries, board and access-log entries,
   * anything else), with each activity's feed entry in every organization of the job: the feed key
   * is the activity's start time and id, so no feed is read.
   */
  async deletePartitionPage(userId: string, orgs: readonly string[], startKey?: Record<string, unknown>) {
    return this.deletePage(keys.userPartition(userId), startKey, (item) => {
      const sk = text(item.sk) ?? '';
      const startTime = text(item.start_time);
      if (!sk.startsWith(ACTIVITY_SORT_KEY_PREFIX) || !startTime || Number.isNaN(Date.parse(startTime))) return [];
      const activityId = sk.slice(ACTIVITY_SORT_KEY_PREFIX.length);
      return orgs.map((orgId) => keys.feedEntry(orgId, startTime, activityId));
    });
  }

  /** One page of the user's Idempotency-Key records deleted (they hold whole responses). */
  async deleteIdempotencyPage(userId: string, startKey?: Record<string, unknown>) {
    return this.deletePage(keys.idempotencyOfUser(userId), startKey, () => []);
  }

  /** One page (strongly consistent) of a partition deleted, with the other keys each item names. */
  private async deletePage(pk: string, startKey: Record<string, unknown> | undefined, alsoDelete: (item: Item) => Item[]) {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk, start_time',
        ConsistentRead: true,
        Limit: PAGE,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const deletes: WriteRequest[] = (out.Items ?? []).flatMap((item) => [
      ...alsoDelete(item).map((key) => ({ DeleteRequest: { Key: key } })),
      { DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } },
    ]);
    await batchWriteItems(this.client, this.table, deletes);
    return { writes: deletes.length, next: out.LastEvaluatedKey };
  }
}
