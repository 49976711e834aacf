import { orgIdField, z } from '@astral/lib/http';
import { groupDescriptionField, groupNameField } from '@astral/lib/organizations';

export const createGroupParams = z.object({ org_id: orgIdField }).strict();

export const createGroupBody = z.object({ name: groupNameField, description: groupDescriptionField.optional() }).strict();
