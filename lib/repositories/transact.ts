import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { failedConditions, withTransactionRetry } from './dynamo-errors';

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
