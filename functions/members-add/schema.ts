import { orgIdField, userIdField, z } from '@astral/lib/http';
import { labelsField, memberLevelField, nicknameField } from '@astral/lib/organizations';

export const addMemberParams = z.strictObject({ org_id: orgIdField });

export const addMemberBody = z.strictObject({
  user_id: userIdField,
  display_name: z.optional(nicknameField),
  member_level: z.optional(memberLevelField),
  labels: z.optional(labelsField),
});
