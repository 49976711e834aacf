import { defineEndpoint, httpHandler, NotFoundError, ok, orgIdField, z, type InputOf } from '@astral/lib/http';
import { documentClient, OrganizationRepository, organizationView, tableName } from '@astral/lib/repositories';

const organizations = new OrganizationRepository(documentClient(), tableName());

const endpoint = defineEndpoint({ name: 'organizations-get', accepts: [], params: z.object({ org_id: orgIdField }) });

export async function handle({ params }: InputOf<typeof endpoint>) {
  const organization = await organizations.get(params.org_id);
  if (!organization) throw new NotFoundError('organization not found');
  return ok(organizationView(organization, { includeEmptySettings: true }));
}

export const handler = httpHandler(endpoint, handle);
