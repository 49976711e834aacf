import { defineContract, orgIdField, z } from '@astral/lib/http';
import { groupIdField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'groups-get',
  method: 'GET',
  path: '/organizations/{org_id}/groups/{group_id}',
  summary: 'Get a training group',
  description: 'Coaches, admins and active members, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField }),
  responses: async () => {
    const { groupShape } = await import('@astral/lib/contracts');
    return { 200: groupShape };
  },
  errors: [403, 404],
});
