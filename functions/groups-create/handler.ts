import { created, defineEndpoint, httpHandler, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { createGroupBody, createGroupParams } from './schema';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({ name: 'groups-create', accepts: ['user'], params: createGroupParams, body: createGroupBody });

export async function handle({ params, body, principal }: InputOf<typeof endpoint>) {
  await access.require(principal, params.org_id, 'group:create', 'training_groups');
  const group = await groups.create(params.org_id, { name: body.name, description: body.description }, principal.user_id);
  return created({ message: 'Group created successfully', group: groupView(group) });
}

export const handler = httpHandler(endpoint, handle);
