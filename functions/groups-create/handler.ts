import { created, httpHandler, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, type Group, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

const respond = (group: Group) => created({ message: 'Group created successfully', group: groupView(group) });

export async function handle({ params, body, principal, idempotency }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group:create', contract.feature);
  // With an Idempotency-Key, its record of the response is written with the group (ADR 0011).
  const record = idempotency ? (group: Group) => idempotency.record(respond(group)) : undefined;
  return respond(await groups.create(params.org_id, { name: body.name, description: body.description }, principal.user_id, record));
}

export const handler = httpHandler(contract, handle);
