import { orgIdField, userIdField, z } from '@astral/lib/http';
import { groupIdField } from '@astral/lib/organizations';

export const addGroupMemberParams = z.object({ org_id: orgIdField, group_id: groupIdField }).strict();

export const addGroupMemberBody = z.object({ user_id: userIdField }).strict();
