import { defineContract, userIdField, z } from '@astral/lib/http';
import { updateUserBody } from './schema';

export const contract = defineContract({
  name: 'users-update',
  method: 'PUT',
  path: '/users/{user_id}',
  summary: 'Update your profile and privacy settings',
  description: 'The user themselves only. Partial: profile fields are replaced one by one (`null` clears), `privacy` keys are merged.',
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: z.strictObject({ user_id: userIdField }),
  body: updateUserBody,
  responses: async () => {
    const { userShape } = await import('@astral/lib/contracts');
    return { 200: userShape };
  },
  errors: [403, 404, 409],
});
