import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { CoachRepository, documentClient, MemberRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const coaches = new CoachRepository(client, tableName());
const members = new MemberRepository(client, tableName());

/**
 * Removes the coach: first the assignment of the members who pointed at them (a read of the roster
 * partition, no index on the assignment: ⌈roster / 1 MB⌉ Queries, plus one transaction per assigned
 * member, the member item and its profile tie), then the coach's own transaction (tombstone, list
 * entry and profile tie). The coach's transaction is the last write, so a removal interrupted before
 * it leaves the coach in place and its retry finishes the job (200, not 404, no assignment left
 * behind). A coach removal is rare, and a stale assignment meanwhile grants nothing (the privacy
 * engine requires the assigned coach to still coach the organization, with their consent).
 */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'coach:remove');
  if (!org.coaches.some((coach) => coach.user_id === params.user_id)) throw new NotFoundError('coach not found');
  for (const memberId of await members.listAssignedTo(params.org_id, params.user_id)) {
    await members.clearAssignment(params.org_id, memberId, params.user_id, principal.user_id);
  }
  const coach = await coaches.remove(params.org_id, params.user_id, principal.user_id, org.coaches);
  return ok({ message: 'Coach removed successfully', coach });
}

export const handler = httpHandler(contract, handle);
