import { defineEndpoint, httpHandler, ok, orgIdField, z, type InputOf } from '@astral/lib/http';
import { groupIdField, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, tableName } from '@astral/lib/repositories';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const endpoint = defineEndpoint({
  name: 'groups-delete',
  accepts: ['user'],
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField }),
});

/** A tombstone naming who deleted it, so the audit log's group_deleted has its actor. */
export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  await access.require(principal, params.org_id, 'group:delete', 'training_groups');
  await groups.delete(params.org_id, params.group_id, principal.user_id);
  return ok({ message: 'Group deleted successfully' });
}

export const handler = httpHandler(endpoint, handle);
