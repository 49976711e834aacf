import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES } from './table-design';
import type { DocumentClient } from '../db/client';
import { keys } from './keys';
import { startFrom } from './page-start';
import type { Page } from './member-repository';
import type { KeyRange } from './page-start';

/** The key range each audit Query reads: the organization's AUDIT# items, or one type's in its index. */
function auditRange(orgId: string, type: string | undefined): KeyRange {
  const events = keys.auditEventsOf(orgId);
  const table = { equals: { pk: events.pk }, prefixes: { sk: events.skPrefix }, attributes: ['pk', 'sk'] };
  if (type === undefined) return table;
  return { ...table, equals: { ...table.equals, ...keys.auditEventsOfType(orgId, type) }, attributes: ['pk', 'sk', 'type_pk', 'type_sk'] };
}

/** An audit event as the API shows it (no keys, no stream event id). */
export interface AuditLogEntry {
  readonly event_type: string;
  readonly actor_id: string;
  readonly target_id: string;
  readonly target_name: string;
  readonly org_id: string;
  readonly created_at: string;
  readonly changes?: Readonly<Record<string, unknown>>;
}

function toEntry(item: Record<string, unknown>): AuditLogEntry {
  return {
    event_type: String(item.event_type),
    actor_id: String(item.actor_id),
    target_id: String(item.target_id),
    target_name: String(item.target_name),
    org_id: String(item.org_id),
    created_at: String(item.created_at),
    ...(item.changes && typeof item.changes === 'object' ? { changes: item.changes as Record<string, unknown> } : {}),
  };
}

/**
 * Reads the audit log the stream consumer writes (lib/repositories/audit-log-repository.ts), newest
 * first: the organization's AUDIT# range, or the `by-event-type` index for one type. One Query per page.
 */
export class AuditLogReader {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  async listPage(
    orgId: string,
    filter: { event_type?: string },
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<Page<AuditLogEntry>> {
    const type = filter.event_type;
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        ...(type !== undefined
          ? {
              IndexName: INDEXES.byEventType,
              KeyConditionExpression: 'type_pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.auditEventsOfType(orgId, type).type_pk },
            }
          : {
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': keys.auditEventsOf(orgId).pk, ':prefix': keys.auditEventsOf(orgId).skPrefix },
            }),
        ScanIndexForward: false,
        Limit: limit,
        ...startFrom(startKey, auditRange(orgId, type)),
      }),
    );
    return { items: (out.Items ?? []).map(toEntry), ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }
}
