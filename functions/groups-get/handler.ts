import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

export async function handle({ params, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group:read', contract.feature);
  const group = await groups.get(params.org_id, params.group_id);
  if (!group) throw new NotFoundError('group not found');
  return ok(groupView(group));
}

export const handler = httpHandler(contract, handle);
