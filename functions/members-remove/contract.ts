import { defineContract, orgIdField, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'members-remove',
  method: 'DELETE',
  path: '/organizations/{org_id}/members/{user_id}',
  summary: 'Remove a member',
  description:
    "A coach or an admin, on a plan with `member_management`; a member may always remove themselves (leaving needs no plan feature). The member also leaves the organization's training groups.",
  tag: 'Members',
  credentials: ['user'],
  feature: 'member_management',
  tableAccess: 'readwrite',
  params: z.strictObject({ org_id: orgIdField, user_id: userIdField }),
  responses: async () => {
    const { messageShape } = await import('@astral/lib/contracts');
    return { 200: messageShape };
  },
  errors: [403, 404],
  examples: {
    response: {
      message: 'Member removed successfully',
    },
  },
});
