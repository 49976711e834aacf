import { z } from 'zod';

/**
 * The profile fields a user may set (api.md "Athletes"), each bounded so one profile cannot bloat its
 * item. Nested objects are `.strict()`: an unknown key anywhere is a 400 that names it.
 */
const isoDate = z.iso.date();
const name = z.string().trim().min(1).max(120);
const seconds = z.number().int().min(0).max(60 * 60 * 24 * 30);

export const raceResultSchema = z
  .object({ race_name: name, date: isoDate, distance_m: z.number().min(0).max(1_000_000).optional(), finish_time_s: seconds.optional(), place: z.number().int().min(1).max(1_000_000).optional() })
  .strict();

export const personalBestSchema = z.object({ distance: z.string().trim().min(1).max(32), time_s: seconds, date: isoDate.optional() }).strict();

export const raceGoalSchema = z.object({ race_name: name, race_date: isoDate, goal_time_s: seconds.optional() }).strict();

const paceZone = z.object({ name: z.string().max(40).optional(), min_s_per_km: z.number().min(60).max(1800), max_s_per_km: z.number().min(60).max(1800) }).strict();
const hrZone = z.object({ name: z.string().max(40).optional(), min_bpm: z.number().int().min(30).max(250), max_bpm: z.number().int().min(30).max(250) }).strict();

export const trainingZonesSchema = z.object({ pace_zones: z.array(paceZone).max(10).optional(), hr_zones: z.array(hrZone).max(10).optional() }).strict();

export const connectionsSchema = z.object({ strava: z.boolean().optional(), garmin: z.boolean().optional() }).strict();

export const trainingPlanSchema = z.object({ name, start_date: isoDate.optional(), end_date: isoDate.optional(), notes: z.string().max(2000).optional() }).strict();

export const profileFieldSchemas = {
  display_name: z.string().trim().min(1).max(100),
  profile_image_url: z.url({ protocol: /^https$/ }).max(2048),
  bio: z.string().max(2000),
  gender: z.string().trim().min(1).max(32),
  race_history: z.array(raceResultSchema).max(200),
  personal_bests: z.array(personalBestSchema).max(30),
  race_goal: raceGoalSchema,
  training_zones: trainingZonesSchema,
  connections: connectionsSchema,
  training_plan: trainingPlanSchema,
  mbti: z.string().regex(/^[EI][NS][TF][JP]$/, 'must be a 4-letter type such as INTJ'),
} as const;

export type ProfileFieldName = keyof typeof profileFieldSchemas;
export const PROFILE_FIELD_NAMES = Object.keys(profileFieldSchemas) as ProfileFieldName[];

export type ProfileFields = { [K in ProfileFieldName]?: z.infer<(typeof profileFieldSchemas)[K]> };
