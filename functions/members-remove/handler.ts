import { defineEndpoint, httpHandler, ok, orgIdField, userIdField, z, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, MemberRepository, tableName } from '@astral/lib/repositories';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const members = new MemberRepository(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({
  name: 'members-remove',
  accepts: ['user'],
  params: z.strictObject({ org_id: orgIdField, user_id: userIdField }),
});

/**
 * Coaches and admins remove members on plans with member_management; a member may always leave
 * (leaving is not roster management, so the plan does not gate it). The removal is a tombstone
 * naming the remover; the user also leaves the organization's training groups.
 */
export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  const leaving = principal.user_id === params.user_id;
  if (leaving) await access.require(principal, params.org_id, 'member:remove_self');
  else await access.require(principal, params.org_id, 'member:remove', 'member_management');
  await members.remove(params.org_id, params.user_id, principal.user_id);
  await groups.removeUserEverywhere(params.org_id, params.user_id, principal.user_id);
  return ok({ message: 'Member removed successfully' });
}

export const handler = httpHandler(endpoint, handle);
