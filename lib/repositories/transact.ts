import { PutCommand, type PutCommandInput, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { IdempotencyKeyInProgressError } from '../errors';
import type { DocumentClient } from '../db/client';
import { failedConditions, isConditionalCheckFailure, withTransactionRetry } from './dynamo-errors';

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction item with a name, so a failed condition is mapped by what it is, never by its position. */
export interface NamedItem<Name extends string> {
  readonly name: Name;
  readonly item: TransactItem;
}

/** One all-or-nothing write, retried while it loses races to other transactions (never on a failed condition). */
export function transactWrite(client: DocumentClient, items: readonly TransactItem[]): Promise<unknown> {
  return withTransactionRetry(() => client.send(new TransactWriteCommand({ TransactItems: [...items] })));
}

/**
 * One all-or-nothing write of named items. Resolves to the names of the items whose conditions
 * failed (the write then changed nothing), empty when it landed; every other failure throws. Callers
 * turn each name into its status, so moving an item in the list cannot change what a failure means.
 */
export async function transactNamed<Name extends string>(
  client: DocumentClient,
  items: readonly NamedItem<Name>[],
): Promise<ReadonlySet<Name>> {
  try {
    await transactWrite(
      client,
      items.map(({ item }) => item),
    );
    return new Set();
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed?.some(Boolean)) throw error;
    return new Set(items.filter((_, index) => failed[index]).map(({ name }) => name));
  }
}

/**
 * A conditional put, alone, or with an Idempotency-Key's record of the response in one transaction
 * (so the item never exists without its record: docs/adr/0011). Resolves to false when the put's own
 * condition failed; a record whose claim was taken over (the attempt outlived its lease) is a 409.
 */
export async function conditionalPut(client: DocumentClient, put: PutCommandInput, record?: TransactItem): Promise<boolean> {
  if (!record) {
    try {
      await client.send(new PutCommand(put));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
  const failed = await transactNamed(client, [
    { name: 'item', item: { Put: put } },
    { name: 'record', item: record },
  ]);
  if (failed.has('record')) throw new IdempotencyKeyInProgressError();
  return !failed.has('item');
}
