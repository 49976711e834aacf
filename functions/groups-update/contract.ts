import { defineContract, z } from '@astral/lib/http';
import { updateGroupBody, updateGroupParams } from './schema';

export const contract = defineContract({
  name: 'groups-update',
  method: 'PUT',
  path: '/organizations/{org_id}/groups/{group_id}',
  summary: 'Update a training group',
  description: 'Coaches and admins, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'readwrite',
  params: updateGroupParams,
  body: updateGroupBody,
  responses: async () => {
    const { groupShape, messageField } = await import('@astral/lib/contracts');
    return { 200: z.object({ message: messageField, group: groupShape }) };
  },
  errors: [403, 404, 409],
});
