import { defineContract, userIdField, z } from '@astral/lib/http';

export const contract = defineContract({
  name: 'users-get',
  method: 'GET',
  path: '/users/{user_id}',
  summary: 'Get a user',
  description:
    "The profile as this caller may see it (privacy.md §4): the identity card, then the fields the athlete's settings allow. An app key sees the public view.",
  tag: 'Users',
  credentials: ['user', 'app'],
  // An app key sees the public view only (ADR 0004): an org-scoped one may read it too.
  orgScopedAppKeys: 'allowed',
  tableAccess: 'read',
  params: z.strictObject({ user_id: userIdField }),
  responses: async () => {
    const { userShape } = await import('@astral/lib/contracts');
    return { 200: userShape };
  },
  errors: [404],
});
