import type { Context } from 'aws-lambda';
import type { LogFields } from './logger';

/**
 * Logging for a function that rarely logs: the authorizer writes a line only for a refused
 * credential. Powertools' Logger (~23 KB with its commons) is imported by the first line, not at init,
 * so a container that never refuses never loads it: ~4 ms of the authorizer's cold start, where its
 * limit allows 10 % over a floor of ~65 ms (docs/benchmarks.md). The first refused credential in a
 * container waits for the import instead.
 */
let lastContext: Context | undefined;
let invocations = 0;

/** At the start of every invocation: the context the next line is about, and whether this is the container's first. */
export function noteInvocation(context: Context | undefined): void {
  lastContext = context;
  invocations += 1;
}

export async function logLazily(level: 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): Promise<void> {
  const { log, withLambdaContext } = await import('./logger');
  // A logger created after the first invocation would otherwise call this one the cold start.
  withLambdaContext(lastContext, invocations <= 1);
  log(level, message, fields);
}
