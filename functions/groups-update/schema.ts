import { orgIdField, z } from '@astral/lib/http';
import { groupDescriptionField, groupIdField, groupNameField } from '@astral/lib/organizations';

export const updateGroupParams = z.strictObject({ org_id: orgIdField, group_id: groupIdField });

export const updateGroupBody = z
  .strictObject({ name: z.optional(groupNameField), description: z.optional(z.nullable(groupDescriptionField)) })
  .check(z.refine((body) => Object.keys(body).length > 0, 'give at least one of name, description'));
