import { orgIdField, pageQueryFields, userIdField, z } from '@astral/lib/http';
import { labelField, memberLevelField, memberStatusField } from '@astral/lib/organizations';

export const listMembersParams = z.strictObject({ org_id: orgIdField });

export const listMembersQuery = z.strictObject({
  status: z.optional(memberStatusField),
  member_level: z.optional(memberLevelField),
  label: z.optional(labelField),
  assigned_to_coach_id: z.optional(userIdField),
  include_profile_status: z.pipe(
    z.optional(z.enum(['true', 'false'])),
    z.transform((value) => value === 'true'),
  ),
  ...pageQueryFields,
});
