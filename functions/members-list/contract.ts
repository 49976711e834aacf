import { defineContract, z } from '@astral/lib/http';
import { listMembersParams, listMembersQuery } from './schema';

export const contract = defineContract({
  name: 'members-list',
  method: 'GET',
  path: '/organizations/{org_id}/members',
  summary: 'List members',
  description:
    "Coaches and admins. Filters combine; `include_profile_status=true` adds each member's `profile_status` flags (and `profile_image_url` / `gender` where the athlete shares profile info with the lister).",
  tag: 'Members',
  credentials: ['user'],
  tableAccess: 'read',
  params: listMembersParams,
  query: listMembersQuery,
  responses: async () => {
    const { pageShape, rosterRowShape } = await import('@astral/lib/contracts');
    return { 200: z.object({ members: z.array(rosterRowShape), ...pageShape }) };
  },
  errors: [403, 404],
  examples: {
    response: {
      members: [
        {
          user_id: 'usr_athlete1',
          display_name: 'Alex',
          member_level: 'intermediate',
          labels: ['5k-focus'],
          status: 'active',
          consent: 'accepted',
          joined_at: '2025-04-23T11:00:00Z',
          profile_status: {
            has_strava: true,
            has_garmin: false,
            has_pace_zones: true,
            has_hr_zones: false,
            has_next_race: true,
            has_training_plan: true,
            has_mbti: false,
            profile_image_url: 'https://cdn.astral.run/images/alex.jpg',
            gender: 'male',
          },
        },
      ],
      count: 1,
    },
  },
});
