import { orgIdField, userIdField, z } from '@astral/lib/http';
import { coachRoleField } from '@astral/lib/organizations';

export const addCoachParams = z.object({ org_id: orgIdField }).strict();

export const addCoachBody = z.object({ user_id: userIdField, role: coachRoleField }).strict();
