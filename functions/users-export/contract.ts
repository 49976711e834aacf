import { defineContract, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'users-export',
  method: 'GET',
  path: '/users/me/export',
  summary: 'Everything held about the caller, in pages',
  description: [
    'Sections in order, each starting once the one before is complete: `profile` (as `GET /users/me`: every field and `privacy`, and `privacy_zones` when set), `activities` (every activity in full, oldest first), `memberships` (as `GET /users/me/memberships`, with consent) and `access_log` (as `GET /users/me/access-log`).',
    'A section absent from a page is on an earlier or a later page; `activities` is always present, possibly empty.',
    'Each page is at most 1 MB of JSON (1,000,000 bytes); follow `next_token` until it is absent.',
  ].join(' '),
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'read',
  query: z.strictObject({ next_token: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))) }),
  responses: async () => ({
    200: z.object({
      profile: z.optional(z.record(z.string(), z.unknown())),
      activities: z.array(z.record(z.string(), z.unknown())),
      memberships: z.optional(z.array(z.record(z.string(), z.unknown()))),
      access_log: z.optional(z.array(z.record(z.string(), z.unknown()))),
      next_token: z.optional(z.string()),
    }),
  }),
  errors: [],
});
