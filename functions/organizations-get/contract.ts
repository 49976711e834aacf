import { defineContract, orgIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'organizations-get',
  method: 'GET',
  path: '/organizations/{org_id}',
  summary: 'Get an organization',
  description: 'Public: full details with the coaches list and settings.',
  tag: 'Organizations',
  credentials: [],
  tableAccess: 'read',
  params: z.object({ org_id: orgIdField }),
  responses: async () => {
    const { organizationShape } = await import('@astral/lib/contracts');
    return { 200: organizationShape };
  },
  errors: [404],
  examples: {
    response: {
      org_id: 'org_xyz789',
      org_name: 'Summit Running Club',
      description: 'Elite distance running program',
      head_coach_user_id: 'usr_abc123',
      coaches: [
        {
          user_id: 'usr_coach2',
          name: 'Jane Smith',
          role: 'assistant_coach',
        },
      ],
      settings: {
        training_principle: 'High-volume aerobic base with periodic intensity blocks.',
        logo_url: 'https://cdn.astral.run/logos/summit.png',
      },
      created_at: '2025-04-23T10:00:00Z',
    },
  },
});
