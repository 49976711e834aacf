import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from './dynamodb';

/**
 * A digest of every item in the table (a full, consistent Scan: fine in a test, never on a request
 * path), to prove that a refused request wrote nothing. Items are serialized with sets sorted and
 * then sorted themselves, so the digest does not depend on the scan's order.
 */
export async function tableDigest(tableName: string): Promise<string> {
  const client = testDocumentClient();
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.push(JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)));
    start = out.LastEvaluatedKey;
  } while (start);
  return createHash('sha256').update(items.sort().join('\n')).digest('hex');
}
