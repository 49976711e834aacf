import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

/** A tombstone naming who deleted it, so the audit log's group_deleted has its actor. */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group:delete', contract.feature);
  await groups.delete(params.org_id, params.group_id, principal.user_id);
  return ok({ message: 'Group deleted successfully' });
}

export const handler = httpHandler(contract, handle);
