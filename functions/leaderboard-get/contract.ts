import { defineContract, orgIdField, pageQueryFields, z } from '@astral/lib/http';
import { LEADERBOARD_METRICS, LEADERBOARD_PERIODS } from '@astral/lib/leaderboards';
import { groupIdField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'leaderboard-get',
  method: 'GET',
  path: '/organizations/{org_id}/leaderboard',
  summary: "The organization's leaderboard",
  description:
    'Coaches, admins and active members. Athletes with at least one activity in the current period bucket, best first, a page at a time (`limit`, `next_token`). Only athletes who take part (`paticipate_leaderboard`) and whose settings let this viewer see them are ranked; `pace` leaves out those who hide pace. Ranks are positions among the athletes this viewer may see, continued across pages. Totals come from a read model kept from the activity writes within moments (ADR 0013); settings and membership apply on the next request.',
  tag: 'Leaderboards',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject({
    metric: z.enum(LEADERBOARD_METRICS),
    period: z.enum(LEADERBOARD_PERIODS),
    group_id: z.optional(groupIdField),
    ...pageQueryFields,
  }),
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
        next_token: z.optional(z.string()),
      }),
    };
  },
  errors: [403, 404],
});
