import { nowIso } from '../clock';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';

/** The stored athlete profile. Profile fields are optional; privacy holds only the keys the user saved. */
export interface User {
  readonly user_id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly profile_image_url?: string;
  readonly bio?: string;
  readonly gender?: string;
  readonly privacy?: Readonly<Record<string, boolean>>;
}

export type NewUser = Omit<User, 'created_at' | 'updated_at'>;

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'user_pk', 'user_sk', 'last_actor_id']);

function toUser(item: Record<string, unknown>): User {
  const user: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!ITEM_ATTRIBUTES.has(key)) user[key] = value;
  return user as unknown as User;
}

export class UserRepository {
  constructor(private readonly client: DocumentClient, private readonly table: string) {}

  async get(userId: string): Promise<User | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.user(userId), ConsistentRead: true }));
    return out.Item ? toUser(out.Item) : undefined;
  }

  /** Fails with `false` when the id is taken, so callers decide between 409 and "already there". */
  async create(user: NewUser, actorId: string): Promise<{ created: boolean; user: User }> {
    const now = nowIso();
    const stored: User = { ...user, created_at: now, updated_at: now };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.user(user.user_id), entity: 'user', last_actor_id: actorId, ...stored },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, user: stored };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const existing = await this.get(user.user_id);
      if (!existing) throw error;
      return { created: false, user: existing };
    }
  }

  /** The common case (the user exists) costs one read; the first call also writes. */
  async getOrCreate(user: NewUser, actorId: string): Promise<{ created: boolean; user: User }> {
    const existing = await this.get(user.user_id);
    if (existing) return { created: false, user: existing };
    return this.create(user, actorId);
  }
}
