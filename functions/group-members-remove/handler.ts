import { defineEndpoint, httpHandler, ok, orgIdField, userIdField, z, type InputOf } from '@astral/lib/http';
import { groupIdField, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, tableName } from '@astral/lib/repositories';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({
  name: 'group-members-remove',
  accepts: ['user'],
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField, user_id: userIdField }),
});

export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  await access.require(principal, params.org_id, 'group_member:remove', 'training_groups');
  await groups.removeMember(params.org_id, params.group_id, params.user_id, principal.user_id);
  return ok({ message: 'Group member removed successfully' });
}

export const handler = httpHandler(endpoint, handle);
