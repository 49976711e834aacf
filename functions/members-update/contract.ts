import { defineContract, z } from '@astral/lib/http';
import { updateMemberBody, updateMemberParams } from './schema';

export const contract = defineContract({
  name: 'members-update',
  method: 'PUT',
  path: '/organizations/{org_id}/members/{user_id}',
  summary: 'Update a member',
  description: 'A coach or an admin, on a plan with `member_management`: nickname, level, labels, status, assigned coach.',
  tag: 'Members',
  credentials: ['user'],
  feature: 'member_management',
  tableAccess: 'readwrite',
  params: updateMemberParams,
  body: updateMemberBody,
  responses: async () => {
    const { memberShape, messageField } = await import('@astral/lib/contracts');
    return { 200: z.object({ message: messageField, member: memberShape }) };
  },
  errors: [403, 404],
});
