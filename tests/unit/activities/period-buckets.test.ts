import { bucketOf, hasEnded, PERIODS } from '../../../lib/activities/period-totals';

/**
 * When a period's bucket is over (ADR 0029): once the period has moved to a later bucket, whatever the
 * calendar's edges do to the text of the buckets (ISO weeks that run into the next year, months and
 * weeks with one digit).
 */
const at = (iso: string): Date => new Date(iso);

test('a bucket is current at its own instants and ends at the first instant of the next', () => {
  const cases: [period: 'week' | 'month' | 'year', bucket: string, lastInstant: string, firstAfter: string][] = [
    ['week', '2026-W09', '2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00Z'],
    ['week', '2020-W53', '2021-01-03T23:59:59.999Z', '2021-01-04T00:00:00Z'],
    ['week', '2024-W52', '2024-12-29T23:59:59.999Z', '2024-12-30T00:00:00Z'], // 2025-W01 starts in December
    ['month', '2026-09', '2026-09-30T23:59:59.999Z', '2026-10-01T00:00:00Z'],
    ['year', '2026', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00Z'],
  ];
  for (const [period, bucket, lastInstant, firstAfter] of cases) {
    expect([period, bucketOf(period, at(lastInstant)), hasEnded(period, bucket, at(lastInstant))]).toEqual([period, bucket, false]);
    expect([period, bucket, hasEnded(period, bucket, at(firstAfter))]).toEqual([period, bucket, true]);
  }
});

test('a bucket still to come has not ended, and the all-time bucket never ends', () => {
  for (const period of PERIODS)
    expect(hasEnded(period, bucketOf(period, at('2026-03-19T00:00:00Z')), at('2026-03-18T12:00:00Z'))).toBe(false);
  expect(hasEnded('all', 'all', at('2999-01-01T00:00:00Z'))).toBe(false);
});
