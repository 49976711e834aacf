import { defineEndpoint, httpHandler, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { updateGroupBody, updateGroupParams } from './schema';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({ name: 'groups-update', accepts: ['user'], params: updateGroupParams, body: updateGroupBody });

export async function handle({ params, body, principal }: InputOf<typeof endpoint>) {
  await access.require(principal, params.org_id, 'group:update', 'training_groups');
  const group = await groups.update(params.org_id, params.group_id, body, principal.user_id);
  return ok({ message: 'Group updated successfully', group: groupView(group) });
}

export const handler = httpHandler(endpoint, handle);
