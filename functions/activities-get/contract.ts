import { ACTIVITY_ID_PATTERN } from '@astral/lib/activities';
import { defineContract, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'activities-get',
  method: 'GET',
  path: '/users/{user_id}/activities/{activity_id}',
  summary: 'Get an activity',
  description: 'Shaped for this caller; one the caller may not see is a 404, exactly like one that does not exist.',
  tag: 'Activities',
  credentials: ['user', 'app'],
  // An app key sees the public view only (ADR 0004): an org-scoped one may read it too.
  orgScopedAppKeys: 'allowed',
  tableAccess: 'read',
  params: z.strictObject({ user_id: userIdField, activity_id: z.string().check(z.regex(ACTIVITY_ID_PATTERN, 'must be an activity id')) }),
  responses: async () => {
    const { activityShape } = await import('@astral/lib/contracts');
    return { 200: activityShape };
  },
  errors: [404],
});
