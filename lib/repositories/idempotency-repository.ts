import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../clock';
import type { DocumentClient } from '../db/client';
import { randomBase62 } from '../ids';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';
import type { TransactItem } from './transact';

/** How long a key answers with its first response (api.md Conventions: 24 hours). */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;
/**
 * How long a claim holds before another attempt may take it over: longer than a function may run
 * (25 s, infra/astral-stack.ts), so a live first attempt is never overtaken, and short enough that
 * the retry of a crashed one goes through soon.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;

/** Whose key, on which route, and the key itself. */
export interface IdempotencyScope {
  readonly caller: string;
  readonly route: string;
  readonly key: string;
}

/** The response a completed request gave, replayed as it was. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyClaim =
  | { readonly outcome: 'claimed'; readonly token: string }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'in_progress' }
  | { readonly outcome: 'reused' };

const seconds = (): number => Math.floor(now().getTime() / 1000);

/**
 * Idempotency-Key records (docs/data-model.md, "idempotency record"): claimed with one conditional
 * put before the request runs (in progress, with a lease), completed with the response after it. The
 * table's TTL (`expires_at`) deletes a record a day later; DynamoDB deletes expired items only
 * eventually (DynamoDB Local never), so a record older than the window counts as absent.
 */
export class IdempotencyRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claims the key for a request whose canonical hash is `requestHash`: a new key, one whose record is
   * older than the window, or an in-progress claim of the same request whose lease ran out (its
   * attempt crashed) is taken; otherwise the record decides: the stored response, still in progress,
   * or another request's key. Of concurrent claims exactly one wins (the put's condition).
   */
  async claim(scope: IdempotencyScope, requestHash: string): Promise<IdempotencyClaim> {
    const at = seconds();
    const token = randomBase62(16);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.idempotency(scope.caller, scope.route, scope.key),
            entity: 'idempotency',
            request_hash: requestHash,
            state: 'in_progress',
            claim_token: token,
            lease_until: at + IDEMPOTENCY_LEASE_SECONDS,
            created_at: at,
            expires_at: at + IDEMPOTENCY_WINDOW_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR created_at <= :windowStart OR (#state = :inProgress AND lease_until < :now AND request_hash = :hash)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':windowStart': at - IDEMPOTENCY_WINDOW_SECONDS,
            ':inProgress': 'in_progress',
            ':now': at,
            ':hash': requestHash,
          },
        }),
      );
      return { outcome: 'claimed', token };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    return this.existing(scope, requestHash);
  }

  private async existing(scope: IdempotencyScope, requestHash: string): Promise<IdempotencyClaim> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keys.idempotency(scope.caller, scope.route, scope.key), ConsistentRead: true }),
    );
    const item = out.Item;
    // Released meanwhile (its attempt failed): the client retries, and then claims it.
    if (!item) return { outcome: 'in_progress' };
    if (item.request_hash !== requestHash) return { outcome: 'reused' };
    if (item.state !== 'completed' || typeof item.response_status !== 'number' || typeof item.response_body !== 'string')
      return { outcome: 'in_progress' };
    return { outcome: 'replay', response: { status: item.response_status, body: JSON.parse(item.response_body) as unknown } };
  }

  /** Records the response of a claimed request (unless the claim was lost to a takeover). */
  async complete(scope: IdempotencyScope, token: string, response: StoredResponse): Promise<void> {
    try {
      await this.client.send(new UpdateCommand(completion(this.table, scope, token, response)));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  /** The same completion as a transaction item, for a write that records its response with the resource it creates. */
  completionItem(scope: IdempotencyScope, token: string, response: StoredResponse): TransactItem {
    return { Update: completion(this.table, scope, token, response) };
  }

  /** Gives the key back after a request that failed (it created nothing), so the client's retry runs it. */
  async release(scope: IdempotencyScope, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.idempotency(scope.caller, scope.route, scope.key),
          ConditionExpression: 'claim_token = :token',
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}

function completion(table: string, scope: IdempotencyScope, token: string, response: StoredResponse) {
  return {
    TableName: table,
    Key: keys.idempotency(scope.caller, scope.route, scope.key),
    UpdateExpression: 'SET #state = :completed, response_status = :status, response_body = :body REMOVE lease_until, claim_token',
    ConditionExpression: 'claim_token = :token',
    ExpressionAttributeNames: { '#state': 'state' },
    // The body as JSON text: replayed byte for byte, whatever DynamoDB would make of its numbers and empty values.
    ExpressionAttributeValues: {
      ':completed': 'completed',
      ':status': response.status,
      ':body': JSON.stringify(response.body),
      ':token': token,
    },
  };
}
