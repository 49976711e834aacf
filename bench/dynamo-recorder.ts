import { AsyncLocalStorage } from 'node:async_hooks';
import type { DocumentClient } from '../lib/db/client';
import type { ItemSizer } from './transaction-units';

/** One DynamoDB call as the table sees it. */
export interface DynamoCall {
  /** The API operation: GetItem, PutItem, Query, BatchGetItem, TransactWriteItems, ... */
  readonly operation: string;
  /** Strongly consistent read; `null` for writes (and for reads whose consistency is fixed, see TransactGetItems). */
  readonly consistent: boolean | null;
  /** A Query or Scan on a global secondary index (never strongly consistent). */
  readonly index: boolean;
  /** On-demand request units the table reported (ReturnConsumedCapacity INDEXES), index writes included. */
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Units of `readUnits + writeUnits` spent on global secondary indexes. */
  readonly indexUnits: number;
  /** Items the call returned (reads) or the keys it touched (writes). */
  readonly items: number;
  /** Round trip as the SDK saw it, serialization included. */
  readonly latencyMs: number;
  /** A conditional or transactional write the table refused (still billed, but no capacity is returned). */
  readonly failed: boolean;
}

/** A DynamoDB HTTP exchange, kept so the warm benchmark can answer the same calls in process. */
export interface Exchange {
  readonly target: string;
  /** Which call this answers, for calls made in parallel (see `signatureOf`). */
  readonly signature: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The request as sent (signed headers and JSON body): bench/table-load.ts sends it again, SDK aside. */
  readonly request: { readonly headers: Record<string, string>; readonly body: string };
}

/** A call's result as the document client hands it to our code, JSON-encoded (sets as `{"$set": [...]}`). */
export interface DocumentOutput {
  readonly operation: string;
  readonly signature: string;
  readonly output: string;
}

/** Everything one function invocation did to the table. */
export interface Invocation {
  readonly fn: string;
  readonly calls: DynamoCall[];
  readonly exchanges: Exchange[];
  readonly outputs: DocumentOutput[];
}

export const newInvocation = (fn: string): Invocation => ({ fn, calls: [], exchanges: [], outputs: [] });

/**
 * What tells two calls of one operation apart within an invocation (calls made in parallel complete
 * in any order): the index and the key or key values asked for. bench/lambda/warm.mjs computes the
 * same on replay; keep the two in step.
 */
export function signatureOf(operation: string, input: Record<string, unknown>): string {
  return `${operation}|${String(input.IndexName ?? '')}|${JSON.stringify(input.Key ?? input.ExpressionAttributeValues ?? input.RequestItems ?? null)}`;
}

/** JSON for document-client values: string and number sets survive as `{"$set": [...]}`. */
export function encodeDocument(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) => (inner instanceof Set ? { $set: [...(inner as Set<unknown>)] } : inner));
}

const current = new AsyncLocalStorage<Invocation>();
/** Where calls made outside any `withInvocation` go: the stream poller's consumers run in its own loop. */
let backgroundSink: ((call: { call?: DynamoCall; exchange?: Exchange }) => void) | undefined;

/** Runs `work` with every DynamoDB call it makes (however deep, however async) attributed to `invocation`. */
export function withInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return current.run(invocation, work);
}

/** Attributes calls made outside any invocation (stream consumers) to whatever the caller says; undefined drops them. */
export function setBackgroundSink(sink: ((call: { call?: DynamoCall; exchange?: Exchange }) => void) | undefined): void {
  backgroundSink = sink;
}

const OPERATIONS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const RETURNS_CAPACITY = new Set([...READS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** `GetCommand` (document client) and `GetItemCommand` (low level) are both GetItem. */
export function operationOf(commandName: string): string {
  const bare = commandName.replace(/Command$/, '');
  return OPERATIONS[bare] ?? bare;
}

type Input = Record<string, unknown>;

function consistencyOf(operation: string, input: Input): boolean | null {
  if (operation === 'TransactGetItems') return true;
  if (!READS.has(operation)) return null;
  if (operation === 'BatchGetItem') {
    const tables = Object.values((input.RequestItems ?? {}) as Record<string, { ConsistentRead?: boolean }>);
    return tables.length > 0 && tables.every((table) => table.ConsistentRead === true);
  }
  return input.ConsistentRead === true;
}

function itemsOf(operation: string, input: Input, output: Input): number {
  switch (operation) {
    case 'GetItem':
      return output.Item ? 1 : 0;
    case 'Query':
    case 'Scan':
      return typeof output.Count === 'number' ? output.Count : 0;
    case 'BatchGetItem':
      return Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce((sum, items) => sum + items.length, 0);
    case 'BatchWriteItem':
      return Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce((sum, items) => sum + items.length, 0);
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return Array.isArray(input.TransactItems) ? input.TransactItems.length : 0;
    default:
      return 1;
  }
}

interface Capacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

function capacityOf(output: Input): { total: number; index: number } {
  const raw = output.ConsumedCapacity as Capacity | Capacity[] | undefined;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  let total = 0;
  let index = 0;
  for (const entry of list) {
    total += entry.CapacityUnits ?? 0;
    for (const gsi of Object.values(entry.GlobalSecondaryIndexes ?? {})) index += gsi.CapacityUnits ?? 0;
  }
  return { total, index };
}

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}
interface RequestHandlerLike {
  handle(request: { headers: Record<string, string>; body?: unknown }, options?: unknown): Promise<{ response: HttpResponseLike }>;
}

async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The SDK hands JSON request bodies over as strings or as UTF-8 bytes. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

const instrumented = new WeakSet<object>();

/**
 * Makes a client report what it does: each call's operation, consistency and consumed capacity (it
 * asks the table for ReturnConsumedCapacity INDEXES), and each raw HTTP exchange, attributed to the
 * invocation running it. Behaviour is otherwise unchanged. Idempotent per client.
 */
export function instrumentClient(client: DocumentClient, sizer?: ItemSizer): void {
  if (instrumented.has(client)) return;
  instrumented.add(client);

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOf(String(context.commandName ?? 'unknown'));
      const input = args.input as Input;
      if (RETURNS_CAPACITY.has(operation)) input.ReturnConsumedCapacity = 'INDEXES';
      const sized = operation === 'TransactWriteItems' ? sizer : undefined;
      const before = sized ? await sized.sizes(input) : [];
      const started = performance.now();
      let output: Input = {};
      let failed = false;
      try {
        const result = await next(args);
        output = result.output as Input;
        return result;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        const latencyMs = performance.now() - started;
        const capacity = capacityOf(output);
        // DynamoDB Local's figure for a transaction is not AWS's (bench/transaction-units.ts).
        if (sized && !failed) capacity.total = (await sized.unitsAfter(input, before)) + capacity.index;
        const isRead = READS.has(operation);
        const call: DynamoCall = {
          operation,
          consistent: consistencyOf(operation, input),
          index: typeof input.IndexName === 'string',
          readUnits: isRead ? capacity.total : 0,
          writeUnits: isRead ? 0 : capacity.total,
          indexUnits: capacity.index,
          items: itemsOf(operation, input, output),
          latencyMs,
          failed,
        };
        const invocation = current.getStore();
        if (invocation) {
          invocation.calls.push(call);
          const { $metadata: _metadata, ...documentOutput } = output;
          invocation.outputs.push({ operation, signature: signatureOf(operation, input), output: encodeDocument(documentOutput) });
        } else backgroundSink?.({ call });
      }
    },
    { step: 'initialize', name: 'astral-bench-recorder', priority: 'high' },
  );

  // The raw exchange, recorded below the SDK so that a replay exercises (de)serialization too.
  const handler = (client.config as unknown as { requestHandler: RequestHandlerLike }).requestHandler;
  const handle = handler.handle.bind(handler);
  handler.handle = async (request, options) => {
    const out = await handle(request, options);
    const bytes = await bytesOf(out.response.body);
    out.response.body = bytes;
    const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
    const requestText = bodyText(request.body);
    const requestBody = JSON.parse(requestText || '{}') as Record<string, unknown>;
    const exchange: Exchange = {
      target,
      signature: signatureOf(target.replace(/^.*\./, ''), requestBody),
      status: out.response.statusCode,
      headers: { 'content-type': out.response.headers['content-type'] ?? 'application/x-amz-json-1.0' },
      body: Buffer.from(bytes).toString('utf8'),
      request: { headers: { ...request.headers }, body: requestText },
    };
    const invocation = current.getStore();
    if (invocation) invocation.exchanges.push(exchange);
    else backgroundSink?.({ exchange });
    return out;
  };
}

/** Sums of an invocation's calls. */
export function totals(calls: readonly DynamoCall[]): { calls: number; readUnits: number; writeUnits: number; indexUnits: number } {
  return calls.reduce(
    (sum, call) => ({
      calls: sum.calls + 1,
      readUnits: sum.readUnits + call.readUnits,
      writeUnits: sum.writeUnits + call.writeUnits,
      indexUnits: sum.indexUnits + call.indexUnits,
    }),
    { calls: 0, readUnits: 0, writeUnits: 0, indexUnits: 0 },
  );
}
