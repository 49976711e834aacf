import { nowIso } from '../clock';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import type { ProfileFields } from '../users/profile-schema';
import { isConditionalCheckFailure } from './dynamo-errors';
import { withoutBookkeeping } from './item';
import { updateExpression } from './update-expression';
import { keys } from './keys';
import { TOTALS_ATTRIBUTE_PREFIX } from './period-totals';
import { PROFILE_TIE_PREFIX } from './profile-ties';

/** The stored athlete profile. Profile fields are optional; privacy holds only the keys the user saved. */
export type User = Omit<ProfileFields, 'display_name'> & {
  readonly user_id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly privacy?: Readonly<Record<string, boolean>>;
};

export type NewUser = Omit<User, 'created_at' | 'updated_at'>;

/** A profile change: fields to set, fields to clear, and the full privacy map to store (if any). */
export interface ProfileChange {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove: readonly string[];
  readonly privacy?: Readonly<Record<string, boolean>>;
}

const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', 'user_pk', 'user_sk', 'last_actor_id', 'version']);

/** A stored profile item as the domain's User: bookkeeping, period totals and ties stripped. */
export function toUser(item: Readonly<Record<string, unknown>>): User {
  // Period totals (leaderboard counters, `tot#…`) and organization ties (`tie#…`) share the item but are not profile data.
  return withoutBookkeeping<User>(
    item,
    ITEM_ATTRIBUTES,
    (key) => !key.startsWith(TOTALS_ATTRIBUTE_PREFIX) && !key.startsWith(PROFILE_TIE_PREFIX),
  );
}

export class UserRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Strongly consistent: the profile carries the privacy settings, which apply on the next request. */
  async get(userId: string): Promise<User | undefined> {
    return (await this.getWithVersion(userId))?.user;
  }

  private async getWithVersion(userId: string): Promise<{ user: User; version: number } | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.user(userId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { user: toUser(out.Item), version: typeof out.Item.version === 'number' ? out.Item.version : 0 };
  }

  /** Fails with `false` when the id is taken, so callers decide between 409 and "already there". */
  async create(user: NewUser, actorId: string): Promise<{ created: boolean; user: User }> {
    const now = nowIso();
    const stored: User = { ...user, created_at: now, updated_at: now };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.user(user.user_id), entity: 'user', last_actor_id: actorId, version: 1, ...stored },
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

  /**
   * Read, change, write back conditionally on the version read (optimistic concurrency): two
   * concurrent partial updates never lose each other's keys, and a privacy patch merges into exactly
   * the settings it was validated against. The owner is created first if they never were.
   */
  async updateProfile(userId: string, change: (current: User) => ProfileChange, actorId: string): Promise<User> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = (await this.getWithVersion(userId)) ?? {
        user: (await this.create({ user_id: userId, display_name: userId }, actorId)).user,
        version: 1,
      };
      const { set, remove, privacy } = change(current.user);
      const update = updateExpression(
        { updated_at: nowIso(), last_actor_id: actorId, version: current.version + 1, ...set, ...(privacy ? { privacy } : {}) },
        remove,
      );
      const names: Record<string, string> = { ...update.names, '#version': 'version' };
      const values: Record<string, unknown> = { ...update.values, ...(current.version === 0 ? {} : { ':expected': current.version }) };
      try {
        const out = await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.user(userId),
            UpdateExpression: update.expression,
            ConditionExpression: current.version === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toUser(out.Attributes ?? {});
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
      }
    }
    throw new Error('profile update kept conflicting with concurrent updates');
  }
}
