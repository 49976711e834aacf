import { ACTIVITY_TYPES } from '../activities/activity-bounds';
import * as z from 'zod/mini';
import { PRIVACY_KEYS, type PrivacyKey } from '../policy/settings';
import { profileFieldSchemas } from '../users/profile-schema';
import { timestamp } from './common';

const optionalProfileFields = Object.fromEntries(Object.entries(profileFieldSchemas).map(([name, schema]) => [name, z.optional(schema)]));

/** All 13 settings, each a boolean: what the owner reads back (privacy.md §1). */
export const privacyShape = z.object(
  Object.fromEntries(PRIVACY_KEYS.map((key) => [key, z.boolean()])) as Record<PrivacyKey, ReturnType<typeof z.boolean>>,
);

/**
 * A user object: the identity card always, then the profile fields the viewer may see (privacy.md
 * §4; a hidden field is absent, never null). The owner also gets `privacy` and the timestamps.
 */
export const userShape = z.object({
  user_id: z.string(),
  display_name: z.string(),
  ...optionalProfileFields,
  privacy: z.optional(privacyShape),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
});

const latLng = z.tuple([z.number(), z.number()]);

/** An activity: every field but the identity and the basics may be hidden from a viewer (privacy.md §4). */
export const activityShape = z.object({
  activity_id: z.string(),
  user_id: z.string(),
  type: z.enum(ACTIVITY_TYPES),
  name: z.string(),
  start_time: z.string(),
  distance_m: z.number(),
  moving_time_s: z.number(),
  elapsed_time_s: z.optional(z.number()),
  avg_pace_s_per_km: z.optional(z.number()),
  splits: z.optional(z.array(z.object({ distance_m: z.number(), time_s: z.number(), pace_s_per_km: z.optional(z.number()) }))),
  map: z.optional(z.object({ polyline: z.optional(z.string()), start_latlng: z.optional(latLng), end_latlng: z.optional(latLng) })),
  avg_heart_rate: z.optional(z.number()),
  max_heart_rate: z.optional(z.number()),
  elevation_gain_m: z.optional(z.number()),
  avg_cadence: z.optional(z.number()),
  avg_power_w: z.optional(z.number()),
  created_at: z.optional(timestamp),
});

/**
 * An activity in a list (the activities list, the feed, the coach view): the activity without
 * `splits` and the map's `polyline` (docs/adr/0017), shaped by the same privacy decision; the whole
 * activity is `GET /users/{user_id}/activities/{activity_id}`.
 */
export const activitySummaryShape = z.extend(z.omit(activityShape, { splits: true, map: true }), {
  map: z.optional(z.object({ start_latlng: z.optional(latLng), end_latlng: z.optional(latLng) })),
});

/** The athlete in a coach's view of a member: only the id when there is no profile to show this viewer. */
export const memberAthleteShape = z.union([userShape, z.object({ user_id: z.string() })]);
