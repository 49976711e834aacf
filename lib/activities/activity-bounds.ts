/**
 * Constants of an activity that code outside validation needs too. Apart from activity-schema.ts on
 * purpose: importing a name from there evaluates its module, which builds the whole input schema
 * (~85 zod objects, a few milliseconds of a cold start) in every function that merely reads activities.
 */
export const ACTIVITY_TYPES = ['run', 'trail_run', 'treadmill', 'race', 'workout', 'other'] as const;

/** Seconds per kilometre: 0..10 hours (a derived pace beyond it is left out). */
export const MAX_PACE_S_PER_KM = 36_000;
