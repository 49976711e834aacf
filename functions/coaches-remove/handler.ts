import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { CoachRepository, documentClient, MemberRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const coaches = new CoachRepository(client, tableName());
const members = new MemberRepository(client, tableName());

/**
 * Removes the coach (tombstone, list entry and the coach's profile tie: one transaction), then clears
 * the assignment of the members who pointed at them. That second step reads the roster partition (no
 * index on the assignment: ⌈roster / 1 MB⌉ Queries) plus one transaction per assigned member (the
 * member item and its profile tie); a coach removal is rare, and a stale assignment meanwhile grants
 * nothing (the privacy engine requires the assigned coach to still coach the organization, with
 * their consent).
 */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'coach:remove');
  const coach = await coaches.remove(params.org_id, params.user_id, principal.user_id, org.coaches);
  for (const memberId of await members.listAssignedTo(params.org_id, params.user_id)) {
    await members.clearAssignment(params.org_id, memberId, params.user_id, principal.user_id);
  }
  return ok({ message: 'Coach removed successfully', coach });
}

export const handler = httpHandler(contract, handle);
