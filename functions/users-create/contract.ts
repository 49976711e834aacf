import { messageShape, userShape } from '@astral/lib/contracts';
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
  tableAccess: 'readwrite',
  body: createUserBody,
  responses: { 201: z.extend(messageShape, { user: userShape }) },
  errors: [409],
});
