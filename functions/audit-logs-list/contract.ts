import { defineContract, orgIdField, pageQueryFields, z } from '@astral/lib/http';
import { AUDIT_EVENT_TYPES, auditEventTypeField } from '@astral/lib/organizations';

export const contract = defineContract({
  name: 'audit-logs-list',
  method: 'GET',
  path: '/organizations/{org_id}/audit-logs',
  summary: "The organization's audit log",
  description: 'Coaches and admins, on a plan with `audit_log`. Newest first; `event_type` filters.',
  tag: 'Audit log',
  credentials: ['user'],
  feature: 'audit_log',
  tableAccess: 'read',
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject({ event_type: z.optional(auditEventTypeField), ...pageQueryFields }),
  responses: async () => {
    const { pageShape, timestamp } = await import('@astral/lib/contracts');
    const auditEvent = z.object({
      event_type: z.enum(AUDIT_EVENT_TYPES),
      actor_id: z.string(),
      target_id: z.string(),
      target_name: z.string(),
      org_id: z.string(),
      created_at: timestamp,
      /** Before/after of each changed field, where the event changes fields. */
      changes: z.optional(z.record(z.string(), z.object({ before: z.optional(z.json()), after: z.optional(z.json()) }))),
    });
    return { 200: z.object({ logs: z.array(auditEvent), ...pageShape }) };
  },
  errors: [403, 404],
  examples: {
    response: {
      logs: [
        {
          event_type: 'member_added',
          actor_id: 'usr_abc123',
          target_id: 'usr_athlete1',
          target_name: 'Alex',
          org_id: 'org_xyz789',
          created_at: '2025-04-23T11:00:00Z',
        },
      ],
      count: 1,
    },
  },
});
