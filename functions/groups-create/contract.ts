import { defineContract, z } from '@astral/lib/http';
import { createGroupBody, createGroupParams } from './schema';

export const contract = defineContract({
  name: 'groups-create',
  method: 'POST',
  path: '/organizations/{org_id}/groups',
  summary: 'Create a training group',
  description: 'Coaches and admins, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'readwrite',
  params: createGroupParams,
  body: createGroupBody,
  responses: async () => {
    const { groupShape, messageField } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, group: groupShape }) };
  },
  errors: [403, 404, 409],
});
