import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';

export type AppKeyStatus = 'active' | 'revoked';

export interface AppKeyRecord {
  readonly app_id: string;
  readonly name: string;
  readonly status: AppKeyStatus;
  readonly org_id?: string;
  readonly created_at: string;
}

interface AppKeyItem extends AppKeyRecord {
  readonly pk: string;
  readonly sk: string;
  readonly entity: 'app_key';
}

export class AppKeyRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Stores the key's hash only; the caller keeps the clear key. */
  async put(keyHash: string, record: AppKeyRecord): Promise<void> {
    const item: AppKeyItem = { ...keys.appKey(keyHash), entity: 'app_key', ...record };
    await this.client.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /** Strongly consistent: a revocation must apply on the next request. */
  async findByHash(keyHash: string): Promise<AppKeyRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.appKey(keyHash), ConsistentRead: true }));
    const item = out.Item as AppKeyItem | undefined;
    if (!item) return undefined;
    return {
      app_id: item.app_id,
      name: item.name,
      status: item.status,
      created_at: item.created_at,
      ...(item.org_id ? { org_id: item.org_id } : {}),
    };
  }

  /**
   * Revokes (or restores) a stored key; false when no key has that hash. The gateway's cache and the
   * authorizer's memory are not told: the key stops working within APP_KEY_REVOCATION_BOUND_SECONDS.
   */
  async setStatus(keyHash: string, status: AppKeyStatus): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.appKey(keyHash),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
