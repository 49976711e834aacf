import { defineContract, orgIdField, pageQueryFields, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'feed-list',
  method: 'GET',
  path: '/organizations/{org_id}/feed',
  summary: "The organization's activity feed",
  description:
    "Coaches, admins and active members: the members' activities, newest first, each an activity summary (no `splits`, no map `polyline`: the whole activity is `GET /users/{user_id}/activities/{activity_id}`) shaped by its athlete's settings for this viewer (privacy context `feed`).",
  tag: 'Feed',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject(pageQueryFields),
  responses: async () => {
    const { activitySummaryShape, pageShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ activities: z.array(activitySummaryShape), ...pageShape }) };
  },
  errors: [403, 404],
});
