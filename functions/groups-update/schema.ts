import { orgIdField, z } from '@astral/lib/http';
import { groupDescriptionField, groupIdField, groupNameField } from '@astral/lib/organizations';

export const updateGroupParams = z.object({ org_id: orgIdField, group_id: groupIdField }).strict();

export const updateGroupBody = z
  .object({ name: groupNameField.optional(), description: groupDescriptionField.nullable().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, description');
