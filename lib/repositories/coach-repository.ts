import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../errors';
import { transactNamed } from './transact';
import { keys } from './keys';
import type { OrganizationCoach } from './organization-repository';
import { tombstoneUpdate } from './tombstone';
import { inviteProfileTie, pendingInvitation, profileTieAttribute, refusedInvitation, removeProfileTie } from './profile-ties';

/**
 * The most coaches an organization has besides its head coach (ADR 0031). The list lives on the
 * organization item, which every organization-scoped request reads strongly (its authorization) and
 * the public GET returns: each entry (~120 bytes, up to ~600 with a long name) is paid on every one of
 * them, and past 400 KB the add failed as a 500.
 */
export const ORGANIZATION_COACH_LIMIT = 50;

/** The organization's `coaches` list, read strongly consistently (a removal must find its entry's index). */
export async function readCoachesList(client: DocumentClient, table: string, orgId: string): Promise<readonly OrganizationCoach[]> {
  const out = await client.send(
    new GetCommand({ TableName: table, Key: keys.organization(orgId), ConsistentRead: true, ProjectionExpression: 'coaches' }),
  );
  return (out.Item?.coaches as OrganizationCoach[] | undefined) ?? [];
}

/** The update that appends a new coach's entry to the `coaches` list, while it is under its limit (ADR 0031). */
export function coachesListAppend(table: string, orgId: string, coach: OrganizationCoach, actorId: string, now: string) {
  return {
    TableName: table,
    Key: keys.organization(orgId),
    UpdateExpression: 'SET coaches = list_append(if_not_exists(coaches, :empty), :coach), updated_at = :now, last_actor_id = :actor',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(coaches) OR size(coaches) < :limit)',
    ExpressionAttributeValues: {
      ':limit': ORGANIZATION_COACH_LIMIT,
      ':empty': [],
      ':coach': [{ user_id: coach.user_id, name: coach.name, role: coach.role, consent: coach.consent }],
      ':now': now,
      ':actor': actorId,
    },
  };
}

/**
 * The update that takes entry `index` out of the `coaches` list, conditioned on it still naming the
 * user: a list that moved meanwhile (another coach added or removed) fails cleanly and is read again.
 */
export function coachesListRemoval(table: string, orgId: string, index: number, userId: string, actorId: string, now: string) {
  return {
    TableName: table,
    Key: keys.organization(orgId),
    UpdateExpression: `REMOVE coaches[${index}] SET updated_at = :now, last_actor_id = :actor`,
    ConditionExpression: `coaches[${index}].user_id = :user`,
    ExpressionAttributeValues: { ':user': userId, ':now': now, ':actor': actorId },
  };
}

/**
 * Coaches live twice, kept true together: a COACH#<user> item (by-user index, audit events) and an
 * entry in the organization's `coaches` list (one GetItem answers the organization and every
 * permission check), plus the coach tie on the user's profile (profile-ties.ts). All change in the same transaction.
 */
export class CoachRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Why the organization refused a coach: gone, or its list is full. */
  private async notAdded(orgId: string): Promise<never> {
    const org = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.organization(orgId), ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    if (!org.Item) throw new NotFoundError('organization not found');
    throw new ConflictError(`the organization is full: it has at most ${ORGANIZATION_COACH_LIMIT} coaches besides its head coach`, [
      { path: 'user_id', message: `the organization already has ${ORGANIZATION_COACH_LIMIT} coaches` },
    ]);
  }

  /** A new coach is `pending` (privacy.md §8): they manage at once, their own data waits for their answer. */
  async add(orgId: string, input: Omit<OrganizationCoach, 'consent'>, actorId: string): Promise<OrganizationCoach> {
    const now = nowIso();
    const coach: OrganizationCoach = { ...input, consent: 'pending' };
    const invitation = pendingInvitation(actorId, now);
    const failed = await transactNamed(this.client, [
      {
        name: 'coach',
        item: {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.coach(orgId, coach.user_id),
              ...keys.coachByUser(orgId, coach.user_id),
              entity: 'coach',
              org_id: orgId,
              user_id: coach.user_id,
              name: coach.name,
              role: coach.role,
              status: 'active',
              ...invitation,
              created_at: now,
              updated_at: now,
              last_actor_id: actorId,
            },
            // A removed coach (tombstone) may be added again.
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :removed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':removed': 'removed' },
          },
        },
      },
      {
        name: 'organization',
        item: {
          Update: coachesListAppend(this.table, orgId, coach, actorId, now),
        },
      },
      {
        name: 'coach-profile',
        item: {
          Update: inviteProfileTie(this.table, coach.user_id, profileTieAttribute.coach(orgId), { ...invitation, role: coach.role }),
        },
      },
    ]);
    if (failed.has('coach'))
      throw new ConflictError('user is already a coach of this organization', [{ path: 'user_id', message: 'already a coach' }]);
    if (failed.has('organization')) return this.notAdded(orgId);
    if (failed.has('coach-profile'))
      throw await refusedInvitation(this.client, this.table, coach.user_id, 'user_id', new NotFoundError('user not found'));
    return coach;
  }

  /**
   * Tombstones the coach item and removes the list entry by index, conditioned on that index still
   * naming the coach; a concurrent change to the list re-reads and retries.
   */
  /**
   * `current` is the coaches list the caller just read strongly consistently (the access check), so
   * the first attempt needs no read of its own; a lost race re-reads.
   */
  async remove(orgId: string, userId: string, actorId: string, current?: readonly OrganizationCoach[]): Promise<OrganizationCoach> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const coaches: readonly OrganizationCoach[] =
        attempt === 0 && current ? current : await readCoachesList(this.client, this.table, orgId);
      const index = coaches.findIndex((c) => c.user_id === userId);
      if (index < 0) throw new NotFoundError('coach not found');
      const now = nowIso();
      const failed = await transactNamed(this.client, [
        { name: 'coach', item: { Update: tombstoneUpdate(this.table, keys.coach(orgId, userId), actorId, now) } },
        {
          name: 'coaches-list',
          item: { Update: coachesListRemoval(this.table, orgId, index, userId, actorId, now) },
        },
        { name: 'coach-profile', item: { Update: removeProfileTie(this.table, userId, profileTieAttribute.coach(orgId)) } },
      ]);
      // A racing removal won.
      if (failed.has('coach')) throw new NotFoundError('coach not found');
      // The coach's profile no longer exists: nothing holds the tie any more, so the role cannot be undone cleanly.
      if (failed.has('coach-profile')) throw new NotFoundError('user not found');
      // The list moved under us (another coach added or removed): read it again and retry.
      if (!failed.has('coaches-list')) return coaches[index] as OrganizationCoach;
    }
    // Contention, not a bug: the client may retry (503 with Retry-After).
    throw new ServiceUnavailableError();
  }
}
