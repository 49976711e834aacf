import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

export async function handle({ params, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group_member:remove', contract.feature);
  await groups.removeMember(params.org_id, params.group_id, params.user_id, principal.user_id);
  return ok({ message: 'Group member removed successfully' });
}

export const handler = httpHandler(contract, handle);
