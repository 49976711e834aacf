import { defineContract, z } from '@astral/lib/http';
import { createUserBody } from './schema';

export const contract = defineContract({
  name: 'users-create',
  method: 'POST',
  path: '/users',
  summary: 'Create a user',
  description: 'Any valid app key: registers a user id (the subject of their tokens) with a display name and profile fields.',
  tag: 'Users',
  credentials: ['app'],
  // Registering a user touches no organization: an org-scoped key (an organization's importer) may.
  orgScopedAppKeys: 'allowed',
  tableAccess: 'readwrite',
  body: createUserBody,
  responses: async () => {
    const { messageField, userShape } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, user: userShape }) };
  },
  errors: [409],
});
