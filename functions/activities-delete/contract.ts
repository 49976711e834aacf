import { ACTIVITY_ID_PATTERN } from '@astral/lib/activities';
import { defineContract, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'activities-delete',
  method: 'DELETE',
  path: '/users/{user_id}/activities/{activity_id}',
  summary: 'Delete an activity',
  description: 'The athlete themselves only; totals, leaderboards and feeds forget it.',
  tag: 'Activities',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: z.strictObject({ user_id: userIdField, activity_id: z.string().check(z.regex(ACTIVITY_ID_PATTERN, 'must be an activity id')) }),
  responses: async () => {
    const { messageShape } = await import('@astral/lib/contracts');
    return { 200: messageShape };
  },
  errors: [403, 404],
});
