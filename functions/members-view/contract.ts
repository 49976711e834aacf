import { activityShape, memberShape, userShape } from '@astral/lib/contracts';
import { defineContract, orgIdField, userIdField, z } from '@astral/lib/http';

/** Only the id when the athlete has no profile to show this viewer. */
const athlete = z.union([userShape, z.object({ user_id: z.string() })]);

export const contract = defineContract({
  name: 'members-view',
  method: 'GET',
  path: '/organizations/{org_id}/members/{user_id}',
  summary: "A coach's view of one member",
  description:
    "Coaches and admins: the membership, and the athlete's profile and recent activities as this viewer may see them (privacy context `coach_view`).",
  tag: 'Members',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField, user_id: userIdField }),
  responses: { 200: z.object({ member: memberShape, athlete, activities: z.array(activityShape) }) },
  errors: [403, 404],
});
