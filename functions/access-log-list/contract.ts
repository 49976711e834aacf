import { defineContract, pageQueryFields, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'access-log-list',
  method: 'GET',
  path: '/users/me/access-log',
  summary: 'Who saw more of me than the public does',
  description: [
    'Reads of the caller by another user whose relationship (after consent, privacy.md §8) is `coach` or `group`, counted per (viewer, privacy context, UTC day), newest day first (ADR 0019).',
    'Counted: `GET /users/{user_id}` (context `profile`), `GET /users/{user_id}/activities` and `…/activities/{activity_id}` (`activity`), and the coach view `GET /organizations/{org_id}/members/{user_id}` (`coach_view`).',
    'Not counted: listings that show many athletes at once (leaderboard, roster, feed), app keys and the owner (privacy preview included).',
    "`count` is a lower bound: exact but for the reads a server instance saw in the last minute before it was recycled or the UTC day ended; `last_at` may trail the latest read by up to a minute. `viewer_display_name` is the viewer's current name, absent when the viewer no longer exists. Entries are kept for a year.",
  ].join(' '),
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'read',
  query: z.strictObject(pageQueryFields),
  responses: async () => {
    const { pageShape, timestamp } = await import('@astral/lib/contracts');
    const entry = z.object({
      viewer_id: z.string(),
      viewer_display_name: z.optional(z.string()),
      relationship: z.enum(['coach', 'group']),
      context: z.enum(['profile', 'activity', 'coach_view']),
      day: z.string(),
      count: z.int().check(z.gte(1)),
      first_at: timestamp,
      last_at: timestamp,
    });
    return { 200: z.object({ entries: z.array(entry), ...pageShape }) };
  },
  errors: [],
});
