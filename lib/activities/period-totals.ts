/**
 * Period totals, the leaderboard's read model: per period (week, month, year, all time) and bucket
 * (which week, month, year), an activity count, distance and moving time. Buckets are UTC, of the
 * activity's start time. How they are stored: lib/repositories/period-totals.ts.
 */

export const PERIODS = ['week', 'month', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

export const TOTAL_METRICS = ['distance_m', 'moving_time_s', 'count'] as const;
export type TotalMetric = (typeof TOTAL_METRICS)[number];

export type PeriodTotals = Readonly<Record<TotalMetric, number>>;

/** ISO 8601 week of a UTC date, e.g. `2026-W47` (the week belongs to the year of its Thursday). */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.floor((day.getTime() - yearStart) / 86_400_000 / 7) + 1;
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function bucketOf(period: Period, date: Date): string {
  switch (period) {
    case 'week':
      return isoWeek(date);
    case 'month':
      return date.toISOString().slice(0, 7);
    case 'year':
      return date.toISOString().slice(0, 4);
    default:
      return 'all';
  }
}

/**
 * Whether a bucket is over at `at`: its period has moved on to a later bucket. A board is always read
 * at its current bucket, so an ended bucket is never read again; `all` never ends. Buckets compare as
 * text: every kind is zero-padded, most significant part first (`2026-W09` < `2026-W10`, `2026-09` <
 * `2026-10`).
 */
export function hasEnded(period: Period, bucket: string, at: Date): boolean {
  return period !== 'all' && bucket < bucketOf(period, at);
}

/**
 * When a bucket ends (the first instant of the next one), UTC; `all` never ends. An ISO week starts on
 * the Monday of the week holding 4 January of its year, so week `n` ends 7·n days after that Monday.
 */
export function bucketEnd(period: Period, bucket: string): Date | undefined {
  const [year = Number.NaN, part = Number.NaN] = bucket.split(/-W?/).map(Number);
  switch (period) {
    case 'week': {
      const january4 = Date.UTC(year, 0, 4);
      const mondayOfWeek1 = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * 86_400_000;
      return new Date(mondayOfWeek1 + part * 7 * 86_400_000);
    }
    case 'month':
      // Date.UTC's month is 0-based: the 1-based month number is the next month's index.
      return new Date(Date.UTC(year, part, 1));
    case 'year':
      return new Date(Date.UTC(year + 1, 0, 1));
    default:
      return undefined;
  }
}

/** What a leaderboard ranks (lib/policy's LeaderboardMetric): distance, time and count best-highest, pace best-lowest. */
export type BoardMetric = 'distance' | 'time' | 'count' | 'pace';

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** The metric's value for one athlete's totals; undefined for a pace without distance (nothing to rank). */
export function boardValue(totals: PeriodTotals, metric: BoardMetric): number | undefined {
  if (metric === 'pace') return totals.distance_m > 0 ? round1(totals.moving_time_s / (totals.distance_m / 1000)) : undefined;
  return metric === 'distance' ? totals.distance_m : metric === 'time' ? totals.moving_time_s : totals.count;
}
