import { DEFAULT_PLAN } from '@astral/lib/config';
import { created, httpHandler, type InputOf } from '@astral/lib/http';
import { documentClient, newOrganizationId, OrganizationRepository, organizationView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const organizations = new OrganizationRepository(documentClient(), tableName());

export async function handle({ body, principal }: InputOf<typeof contract>) {
  const organization = await organizations.create(
    {
      org_id: newOrganizationId(),
      org_name: body.name,
      head_coach_user_id: body.head_coach_user_id,
      settings: body.settings ?? {},
      plan: body.plan ?? DEFAULT_PLAN,
      ...(body.description !== undefined ? { description: body.description } : {}),
    },
    principal.app_id,
  );
  return created({
    message: 'Organization created successfully',
    organization: organizationView(organization, { includeEmptySettings: false }),
  });
}

export const handler = httpHandler(contract, handle);
