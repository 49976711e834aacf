import { defineContract, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'users-erase',
  method: 'DELETE',
  path: '/users/me',
  summary: 'Erase the caller',
  description: [
    'Erases everything held about the caller (ADR 0020). At once: the profile is deleted, so the id answers 404 and nobody is related to anyone through the caller any more.',
    'Then, in bounded passes of a background job: every membership and coach role is ended with the caller as the actor (their tombstones keep no name), the caller leaves every training group and every coaches list,',
    'audit events about the caller keep their opaque id and lose the name and field changes, and activities, summaries, period totals, feed and leaderboard entries, the access log and Idempotency-Key records are deleted.',
    'While the job runs, `GET /users/me` and `PUT /users/{id}` answer 409 `erasure_in_progress` rather than create the profile again; calling this again answers 200 with the job in progress, and after it finished, 200 again.',
    'An erased head coach leaves their organizations without a head coach; its co-coaches keep managing it.',
  ].join(' '),
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'readwrite',
  responses: async () => {
    const { messageField } = await import('@astral/lib/contracts');
    return { 200: z.object({ message: messageField }) };
  },
  errors: [404],
});
