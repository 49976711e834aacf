/**
 * One JSON line per log call. Callers pass ids, routes, statuses and decisions: never events,
 * bodies or credentials (privacy: a log line must not carry an athlete's data).
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export function log(level: 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else if (process.env.ASTRAL_QUIET !== 'true') console.info(line);
}
