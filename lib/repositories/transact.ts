import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { withTransactionRetry } from './dynamo-errors';

/** One all-or-nothing write, retried while it loses races to other transactions (never on a failed condition). */
export function transactWrite(client: DocumentClient, items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<unknown> {
  return withTransactionRetry(() => client.send(new TransactWriteCommand({ TransactItems: items })));
}
