import { type AttributeValue, DynamoDBClient, type DynamoDBClientConfig, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLE_DESIGN } from '../lib/repositories/table-design';

/**
 * What a TransactWriteItems costs on AWS, which DynamoDB Local does not report. AWS bills two write
 * units per 1 KB of every item the transaction writes or checks (prepare and commit), each item sized
 * as the larger of its image before and after. DynamoDB Local reports something else: measured on
 * items of 100 B to 3.1 KB, it returns 4 × the sum of the *distinct* per-item unit counts (three 100 B
 * items: 4, where AWS bills 6; an activity of 3 units, its 1-unit summary and a 2-unit profile: 24,
 * where AWS bills 12). So the bench sizes the items itself, from strongly consistent reads around the
 * call on a client of its own (not instrumented: those reads are not the route's).
 */

type Item = Record<string, AttributeValue>;
const KEY_NAMES = [TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey];
type Input = Record<string, unknown>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** DynamoDB's size of a number: about one byte per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/e.*$/i, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size DynamoDB bills for one attribute value (docs: "Item sizes and formats"). */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/** An item's billed size: every attribute's name and value. */
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);
}

const units = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** The document client hands the middleware native values; the low-level client, attribute values. */
function asAttributes(value: unknown): Item {
  const record = (value ?? {}) as Record<string, unknown>;
  const first = Object.values(record)[0];
  const marshalled =
    first !== null &&
    typeof first === 'object' &&
    !Array.isArray(first) &&
    Object.keys(first).length === 1 &&
    /^(S|N|B|BOOL|NULL|SS|NS|BS|L|M)$/.test(Object.keys(first)[0] ?? '');
  return marshalled ? (record as Item) : marshall(record, { removeUndefinedValues: true, convertClassInstanceToMap: true });
}

interface Target {
  readonly table: string;
  /** The key, or a Put's whole item (which holds the key). */
  readonly key: Item;
}

function targetsOf(input: Input): Target[] {
  const items = Array.isArray(input.TransactItems) ? (input.TransactItems as Input[]) : [];
  return items.flatMap((entry): Target[] => {
    const [kind, action] = Object.entries(entry)[0] ?? [];
    const body = action as Input | undefined;
    if (!kind || !body) return [];
    const table = String(body.TableName ?? '');
    return [{ table, key: asAttributes(kind === 'Put' ? body.Item : body.Key) }];
  });
}

/** Reads items strongly on a client that shares the recorded client's endpoint and credentials. */
export class ItemSizer {
  private readonly client: DynamoDBClient;

  constructor(config: DynamoDBClientConfig) {
    this.client = new DynamoDBClient(config);
  }

  /** The sizes (bytes, 0 when absent) of the items a transaction touches, as they are now. */
  async sizes(input: Input): Promise<number[]> {
    return Promise.all(targetsOf(input).map((target) => this.sizeOf(target)));
  }

  /** AWS's write units for a transaction, from the items' sizes before and after it. */
  async unitsAfter(input: Input, before: readonly number[]): Promise<number> {
    const after = await this.sizes(input);
    return after.reduce((sum, bytes, i) => sum + 2 * units(Math.max(bytes, before[i] ?? 0)), 0);
  }

  private async sizeOf(target: Target): Promise<number> {
    // A Put's item holds every attribute; the key is the table's two.
    const key = Object.fromEntries(KEY_NAMES.flatMap((name) => (target.key[name] ? [[name, target.key[name]]] : [])));
    const { Item: stored } = await this.client.send(new GetItemCommand({ TableName: target.table, Key: key, ConsistentRead: true }));
    return stored ? itemBytes(stored) : 0;
  }

  destroy(): void {
    this.client.destroy();
  }
}
