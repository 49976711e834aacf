import { activityInputSchema } from '@astral/lib/activities';
import { defineContract, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'activities-create',
  method: 'POST',
  path: '/users/{user_id}/activities',
  summary: 'Record an activity',
  description:
    'The athlete themselves only. `start_time` lies between 1970-01-01 and one day after now. Measures are 0 or at least 0.001. `avg_pace_s_per_km` is derived when absent, and left out when it would exceed 36,000 s/km.',
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
