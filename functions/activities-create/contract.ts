import { activityInputSchema } from '@astral/lib/activities';
import { defineContract, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'activities-create',
  method: 'POST',
  path: '/users/{user_id}/activities',
  summary: 'Record an activity',
  description: 'The athlete themselves only. `avg_pace_s_per_km` is derived when absent.',
  tag: 'Activities',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: z.strictObject({ user_id: userIdField }),
  body: activityInputSchema,
  maxBodyBytes: 300 * 1024,
  responses: async () => {
    const { activityShape, messageField } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, activity: activityShape }) };
  },
  errors: [403, 404],
});
