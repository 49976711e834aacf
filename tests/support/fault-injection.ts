import type { DocumentClient } from '../../lib/db/client';
import { AUDIT_SORT_KEY_PREFIX } from '../../lib/repositories/table-design';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

/**
 * The stream consumers run in the same process on the same client: their own writes (audit events,
 * feed entries) are not the request's, so they neither count nor fail.
 */
function isConsumerWrite(input: unknown): boolean {
  const { Item, Key } = (input ?? {}) as { Item?: Record<string, unknown>; Key?: Record<string, unknown> };
  const key = Item ?? Key ?? {};
  return String(key.pk ?? '').startsWith('FEED#') || String(key.sk ?? '').startsWith(AUDIT_SORT_KEY_PREFIX);
}

export interface WriteFault {
  /** Whether the fault has fired (a write it was to refuse was refused). */
  fired(): boolean;
  /** The writes seen since arming, by command name, in order. */
  readonly writes: readonly string[];
  disarm(): void;
}

/**
 * Test-only: the client refuses its Nth write call (counted from now; or each of several) once, before it reaches
 * DynamoDB, as a crash or a lost connection between two writes would leave things; every other call
 * goes through. Added to the middleware stack of the client the in-process handlers share
 * (`documentClient()`), so it is reachable from a test, never from a request.
 */
export function failNthWrite(client: DocumentClient, n: number | readonly number[]): WriteFault {
  const failing = new Set(typeof n === 'number' ? [n] : n);
  const writes: string[] = [];
  let armed = true;
  let fired = false;
  const name = `astral-fault-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '');
      if (armed && WRITES.has(command) && !isConsumerWrite((args as { input?: unknown }).input)) {
        writes.push(command);
        if (failing.has(writes.length)) {
          fired = true;
          throw new Error(`injected failure of write ${writes.length} (${command})`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    fired: () => fired,
    writes,
    disarm: () => {
      armed = false;
      client.middlewareStack.remove(name);
    },
  };
}
