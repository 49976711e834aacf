import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { USER_TARGET_EVENT_TYPES } from './erasure-repository';
import type { AuditEvent } from '../audit/events';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';
import { AUDIT_EVENT_ENTITY } from './table-design';

const USER_TARGETS: ReadonlySet<string> = new Set(USER_TARGET_EVENT_TYPES);

/** The event as it may be kept about an erased user: their opaque id, no name, no field changes (ADR 0020). */
function withoutName(event: AuditEvent): AuditEvent {
  const { changes: _changes, ...rest } = event;
  return { ...rest, target_name: event.target_id };
}

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
    const item = (await this.namesErasedUser(event)) ? withoutName(event) : event;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.auditEvent(event.org_id, event.created_at, event.sequence, event.event_id),
            ...keys.auditEventByType(event.org_id, event.event_type, event.created_at, event.sequence, event.event_id),
            entity: AUDIT_EVENT_ENTITY,
            ...item,
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

  /**
   * Whether the event names a user who is being or was erased. The erasure job scrubs the events that
   * exist when it runs; this catches the ones written after (a lagging consumer, a redrive of old
   * records). One read, only for events that carry a user's name (member and coach changes: rare).
   */
  private async namesErasedUser(event: AuditEvent): Promise<boolean> {
    if (!USER_TARGETS.has(event.event_type) || (event.target_name === event.target_id && !event.changes)) return false;
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.erasureJob(event.target_id), ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }
}
