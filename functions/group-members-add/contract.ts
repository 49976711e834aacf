import { defineContract, z } from '@astral/lib/http';
import { GROUP_MEMBER_LIMIT } from '@astral/lib/repositories';
import { addGroupMemberBody, addGroupMemberParams } from './schema';

export const contract = defineContract({
  name: 'group-members-add',
  method: 'POST',
  path: '/organizations/{org_id}/groups/{group_id}/members',
  summary: 'Add a member to a training group',
  description: `Coaches and admins, on a plan with \`training_groups\`; the user must be an active member of the organization. 409 when the user is already in the group, or when the group already holds ${GROUP_MEMBER_LIMIT} members (a training group's limit).`,
  tag: 'Groups',
  credentials: ['user'],
  feature: 'training_groups',
  tableAccess: 'readwrite',
  params: addGroupMemberParams,
  body: addGroupMemberBody,
  responses: async () => {
    const { groupShape, messageField } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, group: groupShape }) };
  },
  errors: [403, 404, 409],
});
