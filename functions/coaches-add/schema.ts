import { orgIdField, userIdField, z } from '@astral/lib/http';
import { coachRoleField } from '@astral/lib/organizations';

export const addCoachParams = z.strictObject({ org_id: orgIdField });

export const addCoachBody = z.strictObject({ user_id: userIdField, role: coachRoleField });
