import * as z from 'zod/mini';
import { now } from '../clock';
import { measure } from '../field-rules';
import { ACTIVITY_TYPES, MAX_PACE_S_PER_KM } from './activity-bounds';

/** A day of leeway for clocks ahead of ours and time zones east of UTC. */
const FUTURE_LEEWAY_MS = 24 * 60 * 60 * 1000;

/**
 * From 1970-01-01 to a day after now (lib/clock.ts, so tests can pin it): an activity dated 9999-12-31
 * would otherwise top every newest-first list and feed for ever.
 */
function startTimeProblem(value: string): string | undefined {
  const at = Date.parse(value);
  if (!(at >= 0)) return 'must be on or after 1970-01-01';
  if (at > now().getTime() + FUTURE_LEEWAY_MS) return 'must be at most one day in the future';
  return undefined;
}

const latLng = z.tuple([z.number().check(z.gte(-90), z.lte(90)), z.number().check(z.gte(-180), z.lte(180))]);
const seconds = measure(60 * 60 * 24 * 14);
const pace = measure(MAX_PACE_S_PER_KM);
const heartRate = z.number().check(z.gte(20), z.lte(260));

/**
 * Activity input (api.md "Activity input"), bounded so an activity fits comfortably in one item and
 * every value means something: no measure is negative or below MEASURE_RESOLUTION unless 0.
 */
export const activityInputSchema = z.strictObject({
  type: z.enum(ACTIVITY_TYPES),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  start_time: z.iso
    .datetime({ offset: true })
    .check(z.refine((value) => startTimeProblem(value) === undefined, { error: (issue) => startTimeProblem(String(issue.input)) })),
  distance_m: measure(1_000_000),
  moving_time_s: seconds,
  elapsed_time_s: z.optional(seconds),
  avg_pace_s_per_km: z.optional(pace),
  splits: z.optional(
    z.array(z.strictObject({ distance_m: measure(100_000), time_s: seconds, pace_s_per_km: z.optional(pace) })).check(z.maxLength(500)),
  ),
  map: z.optional(
    z.strictObject({ polyline: z.string().check(z.maxLength(100_000)), start_latlng: z.optional(latLng), end_latlng: z.optional(latLng) }),
  ),
  avg_heart_rate: z.optional(heartRate),
  max_heart_rate: z.optional(heartRate),
  elevation_gain_m: z.optional(measure(20_000)),
  avg_cadence: z.optional(measure(300)),
  avg_power_w: z.optional(measure(3000)),
});

export type ActivityInput = z.infer<typeof activityInputSchema>;
