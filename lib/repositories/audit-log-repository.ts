import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../audit/events';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';
import { AUDIT_EVENT_ENTITY } from './table-design';

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
            ...keys.auditEvent(event.org_id, event.created_at, event.sequence, event.event_id),
            ...keys.auditEventByType(event.org_id, event.event_type, event.created_at, event.sequence, event.event_id),
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
