import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, MemberRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const members = new MemberRepository(client, tableName());

/**
 * Coaches and admins remove members on plans with member_management; a member may always leave
 * (leaving is not roster management, so the plan does not gate it). The removal is a tombstone
 * naming the remover, and the user leaves the organization's training groups in the same transaction
 * (member-repository.ts: resumable when they are in more groups than one transaction holds).
 */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const leaving = principal.user_id === params.user_id;
  if (leaving) await access.require(principal, params.org_id, 'member:remove_self');
  else await access.require(principal, params.org_id, 'member:remove', contract.feature);
  await members.remove(params.org_id, params.user_id, principal.user_id);
  return ok({ message: 'Member removed successfully' });
}

export const handler = httpHandler(contract, handle);
