import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { documentClient, OrganizationRepository, organizationView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const organizations = new OrganizationRepository(documentClient(), tableName());

export async function handle({ params }: InputOf<typeof contract>) {
  const organization = await organizations.get(params.org_id);
  if (!organization) throw new NotFoundError('organization not found');
  return ok(organizationView(organization, { includeEmptySettings: true }));
}

export const handler = httpHandler(contract, handle);
