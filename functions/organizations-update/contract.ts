import { defineContract, z } from '@astral/lib/http';
import { updateOrganizationBody, updateOrganizationParams } from './schema';

export const contract = defineContract({
  name: 'organizations-update',
  method: 'PUT',
  path: '/organizations/{org_id}',
  summary: 'Update an organization',
  description:
    'The head coach or a platform admin. Partial: `settings` keys are merged into the stored object, omitted keys kept; a rename keeps names unique (409).',
  tag: 'Organizations',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: updateOrganizationParams,
  body: updateOrganizationBody,
  responses: async () => {
    const { messageField } = await import('@astral/lib/contracts');
    /** What an update answers: the identity, the description when it was changed, and the merged settings. */
    const updatedOrganization = z.object({
      org_id: z.string(),
      org_name: z.string(),
      description: z.optional(z.string()),
      settings: z.record(z.string(), z.json()),
    });
    return { 200: z.object({ message: messageField, organization: updatedOrganization }) };
  },
  errors: [403, 404, 409],
  examples: {
    body: {
      settings: {
        training_principle: 'Polarized training with 80/20 easy-hard split.',
      },
    },
    response: {
      message: 'Organization updated successfully',
      organization: {
        org_id: 'org_xyz789',
        org_name: 'Summit Running Club',
        settings: {
          training_principle: 'Polarized training with 80/20 easy-hard split.',
        },
      },
    },
  },
});
