import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf, hasEnded, PERIODS, TOTAL_METRICS, type Period, type PeriodTotals, type TotalMetric } from '../activities/period-totals';
import type { DocumentClient } from '../db/client';
import { isConditionalCheckFailure } from './dynamo-errors';
import { keys } from './keys';

/**
 * Period totals as stored: top-level numeric attributes on the owner's profile item,
 * `tot#<period>#<bucket>#<metric>`, changed with `ADD` in the same transaction as the activity write
 * or delete. Kept on the profile so one consistent BatchGet of profiles answers a leaderboard
 * (settings, name, photo and totals together).
 *
 * Only buckets a board can still be read at are kept (ADR 0029): a write skips the buckets that have
 * ended, and the leaderboard projector removes those that ended since, so the profile holds a bounded
 * number of counters however long the athlete's history is, and every strong read of it stays small.
 */
export const TOTALS_ATTRIBUTE_PREFIX = 'tot#';

export const totalAttribute = (period: Period, bucket: string, metric: TotalMetric): string =>
  `${TOTALS_ATTRIBUTE_PREFIX}${period}#${bucket}#${metric}`;

/** The totals of one bucket read off a raw profile item (missing counters are zero). */
export function totalsOf(item: Readonly<Record<string, unknown>>, period: Period, bucket: string): PeriodTotals {
  const read = (metric: TotalMetric): number => {
    const value = item[totalAttribute(period, bucket, metric)];
    return typeof value === 'number' ? value : 0;
  };
  return { distance_m: read('distance_m'), moving_time_s: read('moving_time_s'), count: read('count') };
}

/**
 * `ADD` clauses for every bucket an activity counts in that has not ended at `at` (the write's time;
 * `all` always); `sign` -1 takes it back out. ADD creates a missing counter, so no bucket needs
 * initialising. A bucket that ended between an activity's create and its delete is left alone: the
 * projector removes it from the profile anyway.
 */
export function totalsUpdate(
  activity: { readonly start_time: string; readonly distance_m: number; readonly moving_time_s: number },
  sign: 1 | -1,
  at: Date,
) {
  const start = new Date(activity.start_time);
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds: string[] = [];
  const amounts: Record<TotalMetric, number> = { distance_m: activity.distance_m, moving_time_s: activity.moving_time_s, count: 1 };
  let i = 0;
  for (const period of PERIODS) {
    const bucket = bucketOf(period, start);
    if (hasEnded(period, bucket, at)) continue;
    for (const metric of TOTAL_METRICS) {
      names[`#t${i}`] = totalAttribute(period, bucket, metric);
      values[`:t${i}`] = sign * amounts[metric];
      adds.push(`#t${i} :t${i}`);
      i += 1;
    }
  }
  return { expression: `ADD ${adds.join(', ')}`, names, values };
}

const TOTAL_ATTRIBUTE = /^tot#(week|month|year|all)#([^#]+)#(distance_m|moving_time_s|count)$/;

/** The period and bucket a totals attribute counts in; undefined for any other attribute. */
function bucketOfAttribute(name: string): { period: Period; bucket: string } | undefined {
  const match = TOTAL_ATTRIBUTE.exec(name);
  return match ? { period: match[1] as Period, bucket: match[2] ?? '' } : undefined;
}

/**
 * The buckets whose totals differ between two images of one profile item (a stream record's old and
 * new image): the boards an activity write or delete moved. Settings or tie changes move none.
 */
export function changedBuckets(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): { period: Period; bucket: string }[] {
  const changed = new Map<string, { period: Period; bucket: string }>();
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const name of names) {
    const counted = bucketOfAttribute(name);
    if (!counted || before?.[name] === after[name]) continue;
    changed.set(`${counted.period}#${counted.bucket}`, counted);
  }
  return [...changed.values()];
}

/** The totals attributes of a profile item whose buckets have ended at `at` (ADR 0029). */
export function endedTotals(item: Readonly<Record<string, unknown>>, at: Date): string[] {
  return Object.keys(item).filter((name) => {
    const counted = bucketOfAttribute(name);
    return counted !== undefined && hasEnded(counted.period, counted.bucket, at);
  });
}

/** Names per `REMOVE`: an update expression is at most 4 KB, and `#eNNN, ` is 7 characters. */
const REMOVES_PER_UPDATE = 300;

/**
 * Removes ended buckets' counters from a profile (the leaderboard projector, ADR 0029), in as many
 * `UpdateItem`s as the expression size allows: a profile from before ADR 0029 may hold thousands.
 * Nothing else is set, so a redelivered record changes nothing more; conditioned on the profile
 * existing, so an erased profile is not recreated. No write adds to an ended bucket, so nothing is
 * lost to a race.
 */
export async function forgetEndedTotals(client: DocumentClient, table: string, userId: string, names: readonly string[]): Promise<void> {
  for (let start = 0; start < names.length; start += REMOVES_PER_UPDATE) {
    const chunk = names.slice(start, start + REMOVES_PER_UPDATE);
    const placeholders = chunk.map((_, index) => `#e${index}`);
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.user(userId),
          UpdateExpression: `REMOVE ${placeholders.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(chunk.map((name, index) => [placeholders[index], name])),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) return;
      throw error;
    }
  }
}
