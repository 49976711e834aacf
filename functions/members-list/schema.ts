import { orgIdField, pageQueryFields, userIdField, z } from '@astral/lib/http';
import { labelField, memberLevelField, memberStatusField } from '@astral/lib/organizations';

export const listMembersParams = z.object({ org_id: orgIdField }).strict();

export const listMembersQuery = z
  .object({
    status: memberStatusField.optional(),
    member_level: memberLevelField.optional(),
    label: labelField.optional(),
    assigned_to_coach_id: userIdField.optional(),
    include_profile_status: z.enum(['true', 'false']).optional().transform((value) => value === 'true'),
    ...pageQueryFields,
  })
  .strict();
