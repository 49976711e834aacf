import * as z from 'zod/mini';
import { idPattern, USER_ID_PATTERN } from '../ids';

/** Field schemas shared by endpoints, so every id and free-form object is bounded the same way. */
export const userIdField = z.string().check(z.regex(USER_ID_PATTERN, 'must be a user id'));
export const orgIdField = z.string().check(z.regex(idPattern('org'), 'must be an organization id (org_…)'));

const MAX_SETTINGS_BYTES = 8 * 1024;

/** Arbitrary JSON settings, bounded in keys and size so one organization cannot bloat its item. */
export const settingsField = z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.json()).check(
  z.refine((value) => Object.keys(value).length <= 50, 'at most 50 keys'),
  z.refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_SETTINGS_BYTES, `at most ${MAX_SETTINGS_BYTES} bytes`),
);

/** `limit` (1..100, default 50) and an opaque `next_token`, the same on every list. */
export const pageQueryFields = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  next_token: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};
