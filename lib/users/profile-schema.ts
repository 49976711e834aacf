import * as z from 'zod/mini';
import { measure, nameField } from '../field-rules';

/** Shared with users-create, so a name or a photo URL is bounded the same on create and update. */
export const displayNameField = nameField(100);

/** An https URL. zod's issue for a wrong protocol carries only the pattern, so the message is the field's own. */
export const httpsUrlField = z
  .url({ protocol: /^https$/, error: (issue) => (issue.code === 'invalid_format' ? 'must be an https URL' : undefined) })
  .check(z.maxLength(2048));

/**
 * The profile fields a user may set (api.md "Athletes"), each bounded so one profile cannot bloat its
 * item. Nested objects are strict: an unknown key anywhere is a 400 that names it.
 */
const isoDate = z.iso.date();
const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(120));
const seconds = z.int().check(z.gte(0), z.lte(60 * 60 * 24 * 30));

export const raceResultSchema = z.strictObject({
  race_name: name,
  date: isoDate,
  distance_m: z.optional(measure(1_000_000)),
  finish_time_s: z.optional(seconds),
  place: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
});

export const personalBestSchema = z.strictObject({
  distance: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
  time_s: seconds,
  date: z.optional(isoDate),
});

export const raceGoalSchema = z.strictObject({ race_name: name, race_date: isoDate, goal_time_s: z.optional(seconds) });

const zoneName = z.optional(z.string().check(z.maxLength(40)));
const paceBound = z.number().check(z.gte(60), z.lte(1800));
const bpm = z.int().check(z.gte(30), z.lte(250));
const paceZone = z.strictObject({ name: zoneName, min_s_per_km: paceBound, max_s_per_km: paceBound });
const hrZone = z.strictObject({ name: zoneName, min_bpm: bpm, max_bpm: bpm });

export const trainingZonesSchema = z.strictObject({
  pace_zones: z.optional(z.array(paceZone).check(z.maxLength(10))),
  hr_zones: z.optional(z.array(hrZone).check(z.maxLength(10))),
});

export const connectionsSchema = z.strictObject({ strava: z.optional(z.boolean()), garmin: z.optional(z.boolean()) });

export const trainingPlanSchema = z.strictObject({
  name,
  start_date: z.optional(isoDate),
  end_date: z.optional(isoDate),
  notes: z.optional(z.string().check(z.maxLength(2000))),
});

/**
 * A privacy zone (privacy.md §9): a circle no viewer but the owner sees a route point inside.
 * 100 m hides a doorstep without swallowing a whole neighbourhood; 2 km bounds what one zone can hide.
 */
export const privacyZoneSchema = z.strictObject({
  lat: z.number().check(z.gte(-90), z.lte(90)),
  lng: z.number().check(z.gte(-180), z.lte(180)),
  radius_m: z.number().check(z.gte(100), z.lte(2000)),
});

/** At most 5 zones; the list is replaced whole on update (`[]` or `null` clears it). */
export const MAX_PRIVACY_ZONES = 5;

export const profileFieldSchemas = {
  display_name: displayNameField,
  profile_image_url: httpsUrlField,
  bio: z.string().check(z.maxLength(2000)),
  gender: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
  race_history: z.array(raceResultSchema).check(z.maxLength(200)),
  personal_bests: z.array(personalBestSchema).check(z.maxLength(30)),
  race_goal: raceGoalSchema,
  training_zones: trainingZonesSchema,
  connections: connectionsSchema,
  training_plan: trainingPlanSchema,
  mbti: z.string().check(z.regex(/^[EI][NS][TF][JP]$/, 'must be a 4-letter type such as INTJ')),
  privacy_zones: z.array(privacyZoneSchema).check(z.maxLength(MAX_PRIVACY_ZONES)),
} as const;

export type ProfileFieldName = keyof typeof profileFieldSchemas;

/** A profile patch or a stored profile: every field optional (absent or undefined alike, as zod parses them). */
export type ProfileFields = { [K in ProfileFieldName]?: z.infer<(typeof profileFieldSchemas)[K]> | undefined };
