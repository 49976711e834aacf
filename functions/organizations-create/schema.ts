import { organizationNameField, settingsField, userIdField, z } from '@astral/lib/http';
import { PLAN_NAMES } from '@astral/lib/config';

export const createOrganizationBody = z.strictObject({
  name: organizationNameField,
  description: z.optional(z.string().check(z.maxLength(1000))),
  head_coach_user_id: userIdField,
  settings: z.optional(settingsField),
  /** An app key may name another plan at creation (api.md "Plans"). */
  plan: z.optional(z.enum(PLAN_NAMES)),
});
