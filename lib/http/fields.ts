import { z } from 'zod';
import { idPattern, USER_ID_PATTERN } from '../ids';

/** Field schemas shared by endpoints, so every id and free-form object is bounded the same way. */
export const userIdField = z.string().regex(USER_ID_PATTERN, 'must be a user id');
export const orgIdField = z.string().regex(idPattern('org'), 'must be an organization id (org_…)');

const MAX_SETTINGS_BYTES = 8 * 1024;

/** Arbitrary JSON settings, bounded in keys and size so one organization cannot bloat its item. */
export const settingsField = z
  .record(z.string().min(1).max(64), z.json())
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 keys')
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_SETTINGS_BYTES, `at most ${MAX_SETTINGS_BYTES} bytes`);

export const displayNameField = z.string().trim().min(1).max(100);

/** `limit` (1..100, default 50) and an opaque `next_token`, the same on every list. */
export const pageQueryFields = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  next_token: z.string().min(1).max(2048).optional(),
};
