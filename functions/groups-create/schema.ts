import { orgIdField, z } from '@astral/lib/http';
import { groupDescriptionField, groupNameField } from '@astral/lib/organizations';

export const createGroupParams = z.strictObject({ org_id: orgIdField });

export const createGroupBody = z.strictObject({ name: groupNameField, description: z.optional(groupDescriptionField) });
