import type { DocumentClient } from '../../lib/db/client';

/** Counts the DynamoDB calls a client sends, by command name, without changing what they do. */
export function countCalls(client: DocumentClient): { total: () => number; byCommand: Map<string, number>; reset: () => void } {
  const byCommand = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'astral-call-counter' },
  );
  return { total: () => [...byCommand.values()].reduce((a, b) => a + b, 0), byCommand, reset: () => byCommand.clear() };
}
