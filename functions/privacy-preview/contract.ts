import { defineContract, userIdField, z } from '@astral/lib/http';
import { PREVIEW_AUDIENCES, PREVIEW_CONTEXTS } from '@astral/lib/policy';

export const contract = defineContract({
  name: 'privacy-preview',
  method: 'GET',
  path: '/users/{user_id}/privacy/preview',
  summary: 'Preview what an audience would see',
  description:
    'The user themselves only: `view` is what a coach, a group mate or the public would receive in that context (`null` when they would see no profile), and `reasons` say which settings decided it.',
  tag: 'Users',
  credentials: ['user'],
  tableAccess: 'read',
  params: z.strictObject({ user_id: userIdField }),
  query: z.strictObject({
    as: z.enum(PREVIEW_AUDIENCES),
    context: z._default(z.enum(PREVIEW_CONTEXTS), 'profile'),
  }),
  responses: async () => {
    const reason = z.object({ target: z.string(), effect: z.string(), rule: z.string(), description: z.string() });
    return {
      200: z.object({
        as: z.enum(PREVIEW_AUDIENCES),
        context: z.enum(PREVIEW_CONTEXTS),
        view: z.nullable(z.record(z.string(), z.unknown())),
        reasons: z.array(reason),
      }),
    };
  },
  errors: [403, 404],
});
