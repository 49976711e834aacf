import { defineContract, orgIdField, userIdField, z } from '@astral/lib/http';
import { groupIdField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'group-members-remove',
  method: 'DELETE',
  path: '/organizations/{org_id}/groups/{group_id}/members/{user_id}',
  summary: 'Remove a member from a training group',
  description: 'Coaches and admins, on a plan with `training_groups`.',
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'readwrite',
  params: z.strictObject({ org_id: orgIdField, group_id: groupIdField, user_id: userIdField }),
  responses: async () => {
    const { messageShape } = await import('@astral/lib/contracts');
    return { 200: messageShape };
  },
  errors: [403, 404],
});
