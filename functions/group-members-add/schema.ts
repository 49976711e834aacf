import { orgIdField, userIdField, z } from '@astral/lib/http';
import { groupIdField } from '@astral/lib/organizations';

export const addGroupMemberParams = z.strictObject({ org_id: orgIdField, group_id: groupIdField });

export const addGroupMemberBody = z.strictObject({ user_id: userIdField });
