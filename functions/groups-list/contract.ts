import { defineContract, orgIdField, pageQueryFields, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'groups-list',
  method: 'GET',
  path: '/organizations/{org_id}/groups',
  summary: 'List training groups',
  description: 'Coaches, admins and active members, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject(pageQueryFields),
  responses: async () => {
    const { groupShape, pageShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ groups: z.array(groupShape), ...pageShape }) };
  },
  errors: [403, 404],
});
