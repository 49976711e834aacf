import { defineContract, z } from '@astral/lib/http';
import { ORGANIZATION_COACH_LIMIT } from '@astral/lib/repositories';
import { addCoachBody, addCoachParams } from './schema';

export const contract = defineContract({
  name: 'coaches-add',
  method: 'POST',
  path: '/organizations/{org_id}/coaches',
  summary: 'Add a coach',
  description: `The head coach or an admin. The coach is invited: their tie stays pending until they accept (privacy.md §8). 409 when the user already coaches the organization, or when it already has ${ORGANIZATION_COACH_LIMIT} coaches besides its head coach (an organization's limit).`,
  tag: 'Coaches',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: addCoachParams,
  body: addCoachBody,
  responses: async () => {
    const { coachShape, messageField } = await import('@astral/lib/contracts');
    return { 201: z.object({ message: messageField, coach: coachShape }) };
  },
  errors: [403, 404, 409],
});
