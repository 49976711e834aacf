/** ISO 8601 UTC to the second, the documents' format ("2025-04-23T10:00:00Z"). */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let pinned: number | undefined;

/**
 * The current time for reads that depend on the calendar (the leaderboard's current week, month and
 * year). Deployed, it is always the system clock: no environment variable, event field or layer entry
 * can change it. Only code in the same process can pin it, and only through `pinClock` below, which
 * no `@astral/lib/*` entry exports (functions reach lib only through those entries), so a handler
 * cannot. The local runtime's tests pin it (tests/support/stack.ts), so a test about "this week"
 * does not depend on the week it runs in.
 */
export function now(): Date {
  return new Date(pinned ?? Date.now());
}

/** For tests on the in-process local runtime: `now()` answers `at` until pinned again, or unpinned with `undefined`. */
export function pinClock(at: Date | undefined): void {
  pinned = at?.getTime();
}
