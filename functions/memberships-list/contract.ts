import { defineContract, z } from '@astral/lib/http';
import { CONSENTS } from '@astral/lib/policy';

export const contract = defineContract({
  name: 'memberships-list',
  method: 'GET',
  path: '/users/me/memberships',
  summary: "The caller's memberships and invitations",
  description: 'Every tie the caller holds (member, coach, head coach) with its consent (privacy.md §8).',
  tag: 'Consent',
  credentials: ['user'],
  tableAccess: 'read',
  responses: async () => {
    const { timestamp } = await import('@astral/lib/contracts');
    const ROLES = ['member', 'coach', 'head_coach'] as const;
    const membership = z.object({
      org_id: z.string(),
      org_name: z.string(),
      role: z.enum(ROLES),
      status: z.string(),
      consent: z.enum(CONSENTS),
      invited_by: z.string(),
      invited_at: timestamp,
      answered_at: z.optional(timestamp),
    });
    return { 200: z.object({ memberships: z.array(membership), count: z.int().check(z.gte(0)) }) };
  },
  errors: [],
});
