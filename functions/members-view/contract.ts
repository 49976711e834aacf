import { defineContract, orgIdField, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'members-view',
  method: 'GET',
  path: '/organizations/{org_id}/members/{user_id}',
  summary: "A coach's view of one member",
  description:
    "Coaches and admins: the membership, and the athlete's profile and latest 20 activities (as activity summaries: no `splits`, no map `polyline`) as this viewer may see them (privacy context `coach_view`).",
  tag: 'Members',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField, user_id: userIdField }),
  responses: async () => {
    const { activitySummaryShape, memberAthleteShape, memberShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ member: memberShape, athlete: memberAthleteShape, activities: z.array(activitySummaryShape) }) };
  },
  errors: [403, 404],
});
