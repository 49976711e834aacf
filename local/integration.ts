import { loadHandler } from './handler-loader';
import { lambdaContext } from './lambda-context';

/** How the gateway runs a function: from where entries resolve, with which timeout, logging where. */
export interface IntegrationSettings {
  /** Where `entry` paths resolve from (the repository root by default). */
  readonly rootDir: string | undefined;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export class IntegrationTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One invocation as API Gateway makes it: the function imported on first use (a cold start), a
 * Lambda context with the integration's deadline, and IntegrationTimeout once that deadline passes.
 */
export async function invokeFunction(
  fn: { readonly name: string; readonly entry: string },
  event: unknown,
  settings: IntegrationSettings,
): Promise<unknown> {
  const handler = await loadHandler(fn.entry, settings.rootDir);
  return withTimeout(handler(event as never, lambdaContext(fn.name, settings.timeoutMs) as never), settings.timeoutMs);
}
