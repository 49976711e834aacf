import * as z from 'zod/mini';
import type { AuditEventType } from '../audit/events';
import { idPattern } from '../ids';
import { nameField } from '../field-rules';
import { MEMBER_STATUSES } from '../repositories/member-repository';

/** Bounded field schemas of the roster and groups, shared by the endpoints' strict bodies. */
export const labelField = z.string().check(z.trim(), z.minLength(1), z.maxLength(40));
export const labelsField = z.array(labelField).check(z.maxLength(20));
export const memberLevelField = z.string().check(z.trim(), z.minLength(1), z.maxLength(40));
export const nicknameField = nameField(100);
export const memberStatusField = z.enum(MEMBER_STATUSES);
export const coachRoleField = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(40), z.regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case role such as assistant_coach'));
export const groupNameField = nameField(100);
export const groupDescriptionField = z.string().check(z.maxLength(1000));
export const descriptionField = z.string().check(z.maxLength(1000));
export const groupIdField = z.string().check(z.regex(idPattern('grp'), 'must be a group id (grp_…)'));

/** The audit log's event types (api.md), checked against lib/audit's union so the two cannot drift. */
export const AUDIT_EVENT_TYPES = [
  'organization_created',
  'organization_updated',
  'member_added',
  'member_updated',
  'member_removed',
  'coach_added',
  'coach_removed',
  'group_created',
  'group_updated',
  'group_deleted',
  'group_member_added',
  'group_member_removed',
  'member_accepted',
  'member_declined',
  'coach_accepted',
  'coach_declined',
] as const satisfies readonly AuditEventType[];
type MissingEventType = Exclude<AuditEventType, (typeof AUDIT_EVENT_TYPES)[number]>;
const _everyEventType: MissingEventType extends never ? true : false = true;
void _everyEventType;
export const auditEventTypeField = z.enum(AUDIT_EVENT_TYPES);
