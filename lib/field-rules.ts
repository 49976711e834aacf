import * as z from 'zod/mini';

/**
 * Characters no name may hold (api.md Conventions): controls (Cc, tabs and newlines included),
 * bidirectional embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E/200F,
 * U+061C), and zero-width characters (U+200B–200D, U+2060, U+FEFF). Each can make two names look the
 * same, or one name display as another.
 */
const NAME_FORBIDDEN = '\\p{Cc}\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF';
const NAME_PATTERN = new RegExp(`^[^${NAME_FORBIDDEN}]*$`, 'u');

/**
 * A person's, an organization's or a group's name: trimmed, 1..max characters, none of the characters
 * above (the body arrives in NFC already: lib/http/json-guard.ts).
 */
export function nameField(max: number) {
  return z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(max),
      z.regex(NAME_PATTERN, 'must not contain control, bidirectional-override or zero-width characters'),
    );
}

/**
 * The smallest non-zero amount a measure may have (a millimetre, a millisecond, a thousandth of a
 * beat): anything smaller is noise, and a near-zero distance would make a derived pace explode
 * (lib/activities/activity.ts). Also well inside what DynamoDB can store (lib/http/json-guard.ts).
 */
export const MEASURE_RESOLUTION = 0.001;

/** A measure: 0, or `MEASURE_RESOLUTION`..`max` (`min`..`max` when `min` is above 0). */
export function measure(max: number, min = 0) {
  return z.number().check(
    z.gte(min),
    z.lte(max),
    z.refine((value) => value <= 0 || value >= MEASURE_RESOLUTION, `must be 0 or at least ${MEASURE_RESOLUTION}`),
  );
}
