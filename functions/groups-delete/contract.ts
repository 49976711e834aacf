import { defineContract, orgIdField, z } from '@astral/lib/http';
import { groupIdField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'groups-delete',
  method: 'DELETE',
  path: '/organizations/{org_id}/groups/{group_id}',
  summary: 'Delete a training group',
  description: 'Coaches and admins, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'readwrite',
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField }),
  responses: async () => {
    const { messageShape } = await import('@astral/lib/contracts');
    return { 200: messageShape };
  },
  errors: [403, 404],
});
