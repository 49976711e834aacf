import { defineContract, orgIdField, z } from '@astral/lib/http';
import { LEADERBOARD_METRICS, LEADERBOARD_PERIODS } from '@astral/lib/leaderboards';
import { groupIdField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'leaderboard-get',
  method: 'GET',
  path: '/organizations/{org_id}/leaderboard',
  summary: "The organization's leaderboard",
  description:
    'Coaches, admins and active members. Only athletes who take part (`paticipate_leaderboard`) and whose settings let this viewer see them are ranked; `pace` leaves out those who hide pace. Ranks are positions among the athletes shown.',
  tag: 'Leaderboards',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject({ metric: z.enum(LEADERBOARD_METRICS), period: z.enum(LEADERBOARD_PERIODS), group_id: z.optional(groupIdField) }),
  responses: async () => {
    const entry = z.object({
      rank: z.int().check(z.gte(1)),
      user_id: z.string(),
      display_name: z.string(),
      value: z.number(),
      profile_image_url: z.optional(z.string()),
    });
    return {
      200: z.object({
        metric: z.enum(LEADERBOARD_METRICS),
        period: z.enum(LEADERBOARD_PERIODS),
        entries: z.array(entry),
        count: z.int().check(z.gte(0)),
      }),
    };
  },
  errors: [403, 404],
});
