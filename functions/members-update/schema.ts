import { orgIdField, userIdField, z } from '@astral/lib/http';
import { labelsField, memberLevelField, memberStatusField, nicknameField } from '@astral/lib/organizations';

export const updateMemberParams = z.object({ org_id: orgIdField, user_id: userIdField }).strict();

/** Partial; `null` clears an optional field. */
export const updateMemberBody = z
  .object({
    display_name: nicknameField.nullable().optional(),
    member_level: memberLevelField.nullable().optional(),
    labels: labelsField.optional(),
    status: memberStatusField.optional(),
    assigned_coach_id: userIdField.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
