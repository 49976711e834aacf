import { defineEndpoint, httpHandler, NotFoundError, ok, orgIdField, z, type InputOf } from '@astral/lib/http';
import { groupIdField, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({
  name: 'groups-get',
  accepts: ['user'],
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField }),
});

export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  await access.require(principal, params.org_id, 'group:read', 'training_groups');
  const group = await groups.get(params.org_id, params.group_id);
  if (!group) throw new NotFoundError('group not found');
  return ok(groupView(group));
}

export const handler = httpHandler(endpoint, handle);
