import type { DocumentClient } from '../../lib/db/client';

type Capacity = { CapacityUnits?: number } | readonly { CapacityUnits?: number }[] | undefined;

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand']);

/**
 * Counts the DynamoDB calls a client sends, by command name, and the read units they consume (asks
 * for ReturnConsumedCapacity on reads), without changing what they return.
 */
export function countCalls(client: DocumentClient): {
  total: () => number;
  byCommand: Map<string, number>;
  readUnits: () => number;
  reset: () => void;
} {
  const byCommand = new Map<string, number>();
  let readUnits = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (READS.has(name)) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) readUnits += entry.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'astral-call-counter' },
  );
  return {
    total: () => [...byCommand.values()].reduce((a, b) => a + b, 0),
    byCommand,
    readUnits: () => readUnits,
    reset: () => {
      byCommand.clear();
      readUnits = 0;
    },
  };
}
