import { settingsField, userIdField, z } from '@astral/lib/http';
import { PLAN_NAMES } from '@astral/lib/config';

export const createOrganizationBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    head_coach_user_id: userIdField,
    settings: settingsField.optional(),
    /** An app key may name another plan at creation (api.md "Plans"). */
    plan: z.enum(PLAN_NAMES).optional(),
  })
  .strict();
