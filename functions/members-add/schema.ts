import { orgIdField, userIdField, z } from '@astral/lib/http';
import { labelsField, memberLevelField, nicknameField } from '@astral/lib/organizations';

export const addMemberParams = z.object({ org_id: orgIdField }).strict();

export const addMemberBody = z
  .object({
    user_id: userIdField,
    display_name: nicknameField.optional(),
    member_level: memberLevelField.optional(),
    labels: labelsField.optional(),
  })
  .strict();
