import { created, httpHandler, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group_member:add', contract.feature);
  const group = await groups.addMember(params.org_id, params.group_id, body.user_id, principal.user_id);
  return created({ message: 'Group member added successfully', group: groupView(group) });
}

export const handler = httpHandler(contract, handle);
