import { orgIdField, userIdField, z } from '@astral/lib/http';
import { labelsField, memberLevelField, memberStatusField, nicknameField } from '@astral/lib/organizations';

export const updateMemberParams = z.strictObject({ org_id: orgIdField, user_id: userIdField });

/** Partial; `null` clears an optional field. */
export const updateMemberBody = z
  .strictObject({
    display_name: z.optional(z.nullable(nicknameField)),
    member_level: z.optional(z.nullable(memberLevelField)),
    labels: z.optional(labelsField),
    status: z.optional(memberStatusField),
    assigned_coach_id: z.optional(z.nullable(userIdField)),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'give at least one field to change'));
