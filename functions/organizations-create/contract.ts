import { defineContract, z } from '@astral/lib/http';
import { createOrganizationBody } from './schema';

export const contract = defineContract({
  name: 'organizations-create',
  method: 'POST',
  path: '/organizations',
  summary: 'Create an organization',
  description:
    'Any valid app key not issued for one organization (an org-scoped key acts only on its own organization: 403). The head coach must be an existing user (400 otherwise) and is invited: their tie stays pending until they accept it (privacy.md §8). 409 when the name is taken (compared case- and space-insensitively).',
  tag: 'Organizations',
  credentials: ['app'],
  tableAccess: 'readwrite',
  body: createOrganizationBody,
  responses: async () => {
    const { messageField, organizationShape } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, organization: organizationShape }) };
  },
  errors: [409],
  examples: {
    body: {
      name: 'Summit Running Club',
      description: 'Elite distance running program',
      head_coach_user_id: 'usr_abc123',
    },
    response: {
      message: 'Organization created successfully',
      organization: {
        org_id: 'org_xyz789',
        org_name: 'Summit Running Club',
        description: 'Elite distance running program',
        head_coach_user_id: 'usr_abc123',
        coaches: [],
        created_at: '2025-04-23T10:00:00Z',
      },
    },
  },
});
