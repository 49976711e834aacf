import fc from 'fast-check';
import { bucketEnd, bucketOf, hasEnded, PERIODS } from '../../../lib/activities/period-totals';

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

test('a bucket ends at the first instant of the next, ISO weeks of 53 and across the new year included', () => {
  const cases: [period: 'week' | 'month' | 'year', bucket: string, end: string][] = [
    ['week', '2026-W12', '2026-03-23T00:00:00.000Z'],
    ['week', '2026-W53', '2027-01-04T00:00:00.000Z'], // 2026 begins on a Thursday: 53 weeks
    ['week', '2025-W01', '2025-01-06T00:00:00.000Z'], // began on 30 December 2024
    ['week', '2020-W53', '2021-01-04T00:00:00.000Z'],
    ['month', '2026-02', '2026-03-01T00:00:00.000Z'],
    ['month', '2026-12', '2027-01-01T00:00:00.000Z'],
    ['year', '2026', '2027-01-01T00:00:00.000Z'],
  ];
  expect(cases.map(([period, bucket]) => bucketEnd(period, bucket)?.toISOString())).toEqual(cases.map(([, , end]) => end));
  expect(bucketEnd('all', 'all')).toBeUndefined();
});

test('whatever the instant, its bucket ends after it, and the bucket holds the last millisecond before its end', () => {
  const instants = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
  fc.assert(
    fc.property(instants, fc.constantFrom('week', 'month', 'year') as fc.Arbitrary<'week' | 'month' | 'year'>, (instant, period) => {
      const bucket = bucketOf(period, instant);
      const end = bucketEnd(period, bucket);
      expect(end && end.getTime() > instant.getTime()).toBe(true);
      expect(bucketOf(period, new Date((end?.getTime() ?? 0) - 1))).toBe(bucket);
      expect(hasEnded(period, bucket, end ?? instant)).toBe(true);
    }),
  );
});
