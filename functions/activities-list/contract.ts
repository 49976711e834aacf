import { defineContract, pageQueryFields, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'activities-list',
  method: 'GET',
  path: '/users/{user_id}/activities',
  summary: "A user's activities",
  description:
    "Newest first, each an activity summary (no `splits`, no map `polyline`: the whole activity is `GET /users/{user_id}/activities/{activity_id}`) shaped for this caller by the athlete's settings (privacy context `activity`); an empty page when the caller may see none.",
  tag: 'Activities',
  credentials: ['user', 'app'],
  // An app key sees the public view only (ADR 0004): an org-scoped one may read it too.
  orgScopedAppKeys: 'allowed',
  tableAccess: 'read',
  params: z.strictObject({ user_id: userIdField }),
  query: z.strictObject(pageQueryFields),
  responses: async () => {
    const { activitySummaryShape, pageShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ activities: z.array(activitySummaryShape), ...pageShape }) };
  },
  errors: [404],
});
