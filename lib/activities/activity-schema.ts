import * as z from 'zod/mini';

export const ACTIVITY_TYPES = ['run', 'trail_run', 'treadmill', 'race', 'workout', 'other'] as const;

const latLng = z.tuple([z.number().check(z.gte(-90), z.lte(90)), z.number().check(z.gte(-180), z.lte(180))]);
const seconds = z.number().check(z.gte(0), z.lte(60 * 60 * 24 * 14));
const pace = z.number().check(z.gte(0), z.lte(36_000));
const heartRate = z.number().check(z.gte(20), z.lte(260));

/** Activity input (api.md "Activity input"), bounded so an activity fits comfortably in one item. */
export const activityInputSchema = z.strictObject({
  type: z.enum(ACTIVITY_TYPES),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  start_time: z.iso
    .datetime({ offset: true })
    .check(z.refine((value) => Date.parse(value) >= Date.UTC(2000, 0, 1), 'must be on or after 2000-01-01')),
  distance_m: z.number().check(z.gte(0), z.lte(1_000_000)),
  moving_time_s: seconds,
  elapsed_time_s: z.optional(seconds),
  avg_pace_s_per_km: z.optional(pace),
  splits: z.optional(
    z
      .array(z.strictObject({ distance_m: z.number().check(z.gte(0), z.lte(100_000)), time_s: seconds, pace_s_per_km: z.optional(pace) }))
      .check(z.maxLength(500)),
  ),
  map: z.optional(
    z.strictObject({ polyline: z.string().check(z.maxLength(100_000)), start_latlng: z.optional(latLng), end_latlng: z.optional(latLng) }),
  ),
  avg_heart_rate: z.optional(heartRate),
  max_heart_rate: z.optional(heartRate),
  elevation_gain_m: z.optional(z.number().check(z.gte(0), z.lte(20_000))),
  avg_cadence: z.optional(z.number().check(z.gte(0), z.lte(300))),
  avg_power_w: z.optional(z.number().check(z.gte(0), z.lte(3000))),
});

export type ActivityInput = z.infer<typeof activityInputSchema>;
