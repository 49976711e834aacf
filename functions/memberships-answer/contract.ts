import { defineContract, z } from '@astral/lib/http';
import { CONSENT_ANSWERS } from '@astral/lib/policy';
import { answerMembershipBody, answerMembershipParams } from './schema';

export const contract = defineContract({
  name: 'memberships-answer',
  method: 'PUT',
  path: '/users/me/memberships/{org_id}',
  summary: 'Accept or decline an organization',
  description:
    'Answers every pending tie the caller has with the organization (privacy.md §8). Declining ends a membership (the caller also leaves the organization’s training groups) or a coach role (members assigned to the caller are unassigned). Answering a tie already answered is a 409; an accepted member leaves with `DELETE /organizations/{org_id}/members/{user_id}`.',
  tag: 'Consent',
  credentials: ['user'],
  tableAccess: 'readwrite',
  params: answerMembershipParams,
  body: answerMembershipBody,
  responses: async () => {
    const { messageField, timestamp } = await import('@astral/lib/contracts');
    const answered = z.object({
      org_id: z.string(),
      org_name: z.string(),
      consent: z.enum(CONSENT_ANSWERS),
      answered_at: timestamp,
      roles: z.array(z.enum(['member', 'coach', 'head_coach'])),
    });
    return { 200: z.object({ message: messageField, membership: answered }) };
  },
  errors: [404, 409],
});
