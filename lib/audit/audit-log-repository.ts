import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_EVENT_ENTITY } from '../config/streams';
import { AUDIT_SORT_KEY_PREFIX } from '../config/table';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from '../repositories/dynamo-errors';
import type { AuditEvent } from './events';

export const auditKeys = {
  /** Time, then stream order within the second, then the event id (unique: the exactly-once key). */
  event: (orgId: string, createdAt: string, sequence: string, eventId: string) => ({
    pk: `ORG#${orgId}`,
    sk: `${AUDIT_SORT_KEY_PREFIX}${createdAt}#${sequence}#${eventId}`,
  }),
  byType: (orgId: string, type: string, createdAt: string, sequence: string, eventId: string) => ({
    type_pk: `ORG#${orgId}#${type}`,
    type_sk: `${createdAt}#${sequence}#${eventId}`,
  }),
};

export class AuditLogRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Exactly once per stream record: the key embeds the record's event id, and the put is
   * conditional, so a retried or re-delivered batch finds the event already there and moves on.
   * Returns false when it was already written.
   */
  async write(event: AuditEvent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...auditKeys.event(event.org_id, event.created_at, event.sequence, event.event_id),
            ...auditKeys.byType(event.org_id, event.event_type, event.created_at, event.sequence, event.event_id),
            entity: AUDIT_EVENT_ENTITY,
            ...event,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
