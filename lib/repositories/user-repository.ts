import { nowIso } from '../clock';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import type { ProfileFields } from '../users/profile-schema';
import { isConditionalCheckFailure, withTransactionRetry } from './dynamo-errors';
import { withoutBookkeeping } from './item';
import { updateExpression } from './update-expression';
import { conditionalPut, transactNamed, type TransactItem } from './transact';
import { ERASURE_RUNNING } from './table-design';
import { ErasureInProgressError } from '../errors';
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

/** A profile change: fields to set, fields to clear, and the privacy keys to change (the others stay as stored). */
export interface ProfileChange {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove: readonly string[];
  readonly privacy?: Readonly<Record<string, boolean>>;
}

/**
 * The profile's UpdateItem: top-level fields and `privacy.<key>` paths, conditioned on the profile
 * existing and, when privacy keys change, on its privacy map existing (else the path is invalid).
 */
function profileUpdate(table: string, userId: string, change: ProfileChange, actorId: string) {
  const update = updateExpression({ updated_at: nowIso(), last_actor_id: actorId, ...change.set }, change.remove);
  const names: Record<string, string> = { ...update.names, '#version': 'version' };
  const values: Record<string, unknown> = { ...update.values, ':one': 1 };
  const privacySets: string[] = [];
  Object.entries(change.privacy ?? {}).forEach(([key, value], index) => {
    names[`#p${index}`] = key;
    values[`:p${index}`] = value;
    privacySets.push(`#privacy.#p${index} = :p${index}`);
  });
  const conditions = ['attribute_exists(pk)'];
  if (privacySets.length > 0) {
    names['#privacy'] = 'privacy';
    values[':map'] = 'M';
    conditions.push('attribute_type(#privacy, :map)');
  }
  // `updateExpression` puts SET first; the privacy paths join it, and the version counts every change.
  const [setPart = '', removePart] = update.expression.split(' REMOVE ');
  const expression = `${[setPart, ...privacySets].join(', ')} ADD #version :one${removePart ? ` REMOVE ${removePart}` : ''}`;
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: expression,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW' as const,
  };
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
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.user(userId), ConsistentRead: true }));
    return out.Item ? toUser(out.Item) : undefined;
  }

  /**
   * A new user under a freshly minted id (`POST /users`): no erasure can hold it, so one conditional
   * put (with the Idempotency-Key's record, when there is one, in a transaction). Resolves `created:
   * false` with the stored user when the id is taken, so callers decide between 409 and "already there".
   */
  async create(user: NewUser, actorId: string, record?: (stored: User) => TransactItem): Promise<{ created: boolean; user: User }> {
    const { put, stored } = this.profilePut(user, actorId);
    if (await conditionalPut(this.client, put, record?.(stored))) return { created: true, user: stored };
    return { created: false, user: await this.existing(user.user_id) };
  }

  /**
   * A profile under an id the caller brings (a token's subject: `GET /users/me`, a first
   * `PUT /users/{id}`), which may be one being erased (ADR 0020): the job deleted the profile first,
   * so the put alone would pass; a ConditionCheck on the job refuses it with 409 `erasure_in_progress`.
   */
  private async createForSubject(user: NewUser, actorId: string): Promise<{ created: boolean; user: User }> {
    const { put, stored } = this.profilePut(user, actorId);
    const failed = await transactNamed(this.client, [
      { name: 'user', item: { Put: put } },
      {
        name: 'erasure',
        item: {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.erasureJob(user.user_id),
            ConditionExpression: 'attribute_not_exists(pk) OR #state <> :running',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':running': ERASURE_RUNNING },
          },
        },
      },
    ]);
    if (failed.has('erasure')) throw new ErasureInProgressError();
    if (!failed.has('user')) return { created: true, user: stored };
    return { created: false, user: await this.existing(user.user_id) };
  }

  private profilePut(user: NewUser, actorId: string) {
    const now = nowIso();
    const stored: User = { ...user, created_at: now, updated_at: now };
    const put = {
      TableName: this.table,
      // An empty privacy map from the start: a settings change is then one UpdateItem of a path in it (updateProfile).
      Item: { ...keys.user(user.user_id), entity: 'user', last_actor_id: actorId, version: 1, privacy: {}, ...stored },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    return { put, stored };
  }

  private async existing(userId: string): Promise<User> {
    const existing = await this.get(userId);
    if (!existing) throw new Error(`user ${userId} was taken but cannot be read`);
    return existing;
  }

  /** The common case (the user exists) costs one read; the first call also writes. */
  async getOrCreate(user: NewUser, actorId: string): Promise<{ created: boolean; user: User }> {
    const existing = await this.get(user.user_id);
    if (existing) return { created: false, user: existing };
    return this.createForSubject(user, actorId);
  }

  /**
   * One UpdateItem, no read first: fields are set and removed one by one, and each privacy key is its
   * own document path (`privacy.share_pb`), so concurrent updates of different keys all land and none
   * needs a retry (a read-modify-write of the whole map lost races: issue 13). A nested path needs its
   * map to exist: profiles are created with an empty one, and a profile without one (written before
   * that, or no profile at all: it is created, as /users/me would) gets it first and the update runs
   * once more; `if_not_exists` makes racing first writers agree.
   */
  async updateProfile(userId: string, change: ProfileChange, actorId: string): Promise<User> {
    const command = profileUpdate(this.table, userId, change, actorId);
    try {
      return toUser((await withTransactionRetry(() => this.client.send(new UpdateCommand(command)))).Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    await this.ensurePrivacyMap(userId, actorId);
    return toUser((await withTransactionRetry(() => this.client.send(new UpdateCommand(command)))).Attributes ?? {});
  }

  private async ensurePrivacyMap(userId: string, actorId: string): Promise<void> {
    if (!(await this.get(userId))) await this.createForSubject({ user_id: userId, display_name: userId, privacy: {} }, actorId);
    await withTransactionRetry(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.user(userId),
          UpdateExpression: 'SET #privacy = if_not_exists(#privacy, :empty)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#privacy': 'privacy' },
          ExpressionAttributeValues: { ':empty': {} },
        }),
      ),
    );
  }
}
