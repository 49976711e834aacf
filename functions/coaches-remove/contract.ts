import { defineContract, orgIdField, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'coaches-remove',
  method: 'DELETE',
  path: '/organizations/{org_id}/coaches/{user_id}',
  summary: 'Remove a coach',
  description: 'The head coach or an admin; a coach may remove themselves. Members assigned to them lose the assignment.',
  tag: 'Coaches',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: z.strictObject({ org_id: orgIdField, user_id: userIdField }),
  responses: async () => {
    const { coachShape, messageField } = await import('@astral/lib/contracts');
    return { 200: z.object({ message: messageField, coach: coachShape }) };
  },
  errors: [403, 404],
});
