import { defineContract } from '@astral/lib/http';

export const contract = defineContract({
  name: 'users-me',
  method: 'GET',
  path: '/users/me',
  summary: "The caller's own profile",
  description: 'Everything the caller stored, with `privacy` (all 13 settings).',
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'readwrite',
  responses: async () => {
    const { userShape } = await import('@astral/lib/contracts');
    return { 200: userShape };
  },
  errors: [404, 409],
});
