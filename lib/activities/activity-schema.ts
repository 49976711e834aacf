import { z } from 'zod';

export const ACTIVITY_TYPES = ['run', 'trail_run', 'treadmill', 'race', 'workout', 'other'] as const;

const latLng = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]);
const seconds = z.number().min(0).max(60 * 60 * 24 * 14);

/** Activity input (api.md "Activity input"), bounded so an activity fits comfortably in one item. */
export const activityInputSchema = z
  .object({
    type: z.enum(ACTIVITY_TYPES),
    name: z.string().trim().min(1).max(200),
    start_time: z.iso.datetime({ offset: true }).refine((value) => Date.parse(value) >= Date.UTC(2000, 0, 1), 'must be on or after 2000-01-01'),
    distance_m: z.number().min(0).max(1_000_000),
    moving_time_s: seconds,
    elapsed_time_s: seconds.optional(),
    avg_pace_s_per_km: z.number().min(0).max(36_000).optional(),
    splits: z.array(z.object({ distance_m: z.number().min(0).max(100_000), time_s: seconds, pace_s_per_km: z.number().min(0).max(36_000).optional() }).strict()).max(500).optional(),
    map: z.object({ polyline: z.string().max(100_000), start_latlng: latLng.optional(), end_latlng: latLng.optional() }).strict().optional(),
    avg_heart_rate: z.number().min(20).max(260).optional(),
    max_heart_rate: z.number().min(20).max(260).optional(),
    elevation_gain_m: z.number().min(0).max(20_000).optional(),
    avg_cadence: z.number().min(0).max(300).optional(),
    avg_power_w: z.number().min(0).max(3000).optional(),
  })
  .strict();

export type ActivityInput = z.infer<typeof activityInputSchema>;
