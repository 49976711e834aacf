import { libEntryPoints } from '../../infra/layer-bundle';
import { now, pinClock } from '../../lib/clock';

/**
 * lib/clock.ts: what "now" is for calendar reads (the leaderboard's current period). Deployed it is
 * the system clock, always; tests on the in-process local runtime may pin it.
 */
afterEach(() => {
  pinClock(undefined);
});

describe('now()', () => {
  it('is the system clock while nothing pins it', () => {
    const before = Date.now();
    const reading = now().getTime();
    expect(reading).toBeGreaterThanOrEqual(before);
    expect(reading).toBeLessThanOrEqual(Date.now());
  });

  it('answers the pinned instant until unpinned, as a copy the caller cannot move', () => {
    pinClock(new Date('2024-03-24T23:59:59Z'));
    const pinned = now();
    expect(pinned.toISOString()).toBe('2024-03-24T23:59:59.000Z');
    pinned.setUTCFullYear(1999);
    expect(now().toISOString()).toBe('2024-03-24T23:59:59.000Z');
    pinClock(new Date('2024-03-25T00:00:00Z'));
    expect(now().toISOString()).toBe('2024-03-25T00:00:00.000Z');
    pinClock(undefined);
    const before = Date.now();
    const reading = now().getTime();
    expect(reading).toBeGreaterThanOrEqual(before);
    expect(reading).toBeLessThanOrEqual(Date.now());
  });
});

describe('who can pin it', () => {
  it('no layer entry (@astral/lib/*, all a function can import) exports pinClock, while leaderboards exports now', async () => {
    const entries = Object.entries(libEntryPoints());
    expect(entries.length).toBeGreaterThan(3);
    const exporting: string[] = [];
    let leaderboardsNow: unknown;
    for (const [dir, file] of entries) {
      const exports = (await import(file)) as Record<string, unknown>;
      if ('pinClock' in exports) exporting.push(dir);
      if (dir === 'leaderboards') leaderboardsNow = exports.now;
    }
    expect(exporting).toEqual([]);
    expect(leaderboardsNow).toBe(now);
  });
});
