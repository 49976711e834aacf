import { defineContract, z } from '@astral/lib/http';
import { addMemberBody, addMemberParams } from './schema';

export const contract = defineContract({
  name: 'members-add',
  method: 'POST',
  path: '/organizations/{org_id}/members',
  summary: 'Add a member',
  description:
    'A coach or an admin, on a plan with `member_management`. The athlete is invited: `consent` is `pending` until they accept, and until then the organization sees only their public view (privacy.md §8). Unknown user 404; already a member (pending or accepted) 409.',
  tag: 'Members',
  credentials: ['user'],
  feature: 'member_management',
  tableAccess: 'readwrite',
  params: addMemberParams,
  body: addMemberBody,
  responses: async () => {
    const { memberShape, messageField } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, member: memberShape }) };
  },
  errors: [403, 404, 409],
  examples: {
    body: {
      user_id: 'usr_athlete1',
      display_name: 'Alex',
      member_level: 'intermediate',
      labels: ['5k-focus', 'morning-group'],
    },
    response: {
      message: 'Member added successfully',
      member: {
        user_id: 'usr_athlete1',
        display_name: 'Alex',
        member_level: 'intermediate',
        labels: ['5k-focus', 'morning-group'],
        status: 'active',
        consent: 'pending',
        joined_at: '2025-04-23T11:00:00Z',
      },
    },
  },
});
