import { orgIdField, z } from '@astral/lib/http';
import { CONSENT_ANSWERS } from '@astral/lib/policy';

export const answerMembershipParams = z.strictObject({ org_id: orgIdField });

export const answerMembershipBody = z.strictObject({ consent: z.enum(CONSENT_ANSWERS) });
