import { defineContract, orgIdField, pageQueryFields, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'feed-list',
  method: 'GET',
  path: '/organizations/{org_id}/feed',
  summary: "The organization's activity feed",
  description:
    "Coaches, admins and active members: the members' activities, newest first, each shaped by its athlete's settings for this viewer (privacy context `feed`).",
  tag: 'Feed',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject(pageQueryFields),
  responses: async () => {
    const { activityShape, pageShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ activities: z.array(activityShape), ...pageShape }) };
  },
  errors: [403, 404],
});
