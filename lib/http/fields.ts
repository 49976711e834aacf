import * as z from 'zod/mini';
import { idPattern, USER_ID_PATTERN } from '../ids';
import { nameField } from '../field-rules';
import { numberProblem } from './json-guard';

/** Field schemas shared by endpoints, so every id and free-form object is bounded the same way. */
export const userIdField = z.string().check(z.regex(USER_ID_PATTERN, 'must be a user id'));
export const orgIdField = z.string().check(z.regex(idPattern('org'), 'must be an organization id (org_…)'));

/** An organization's name, on create and on rename (uniqueness: lib/repositories/keys.ts). */
export const organizationNameField = nameField(120);

const MAX_SETTINGS_BYTES = 8 * 1024;
/** `{"a": 1}` is one level, `{"a": {"b": 1}}` two; arrays count as a level. */
export const MAX_SETTINGS_DEPTH = 8;
/** Keys at every level together, and the length of each. */
const MAX_SETTINGS_KEYS = 200;
const MAX_SETTINGS_KEY_LENGTH = 64;

/** The first way a settings value breaks the bounds, or undefined (numbers: lib/http/json-guard.ts). */
function settingsProblem(value: unknown): string | undefined {
  let keys = 0;
  const walk = (node: unknown, depth: number): string | undefined => {
    if (typeof node === 'number') return numberProblem(node);
    if (node === null || typeof node !== 'object') return undefined;
    if (depth > MAX_SETTINGS_DEPTH) return `nested at most ${MAX_SETTINGS_DEPTH} levels`;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    if (!Array.isArray(node)) {
      const names = Object.keys(node as Record<string, unknown>);
      keys += names.length;
      if (keys > MAX_SETTINGS_KEYS) return `at most ${MAX_SETTINGS_KEYS} keys in all`;
      if (names.some((name) => name.length < 1 || name.length > MAX_SETTINGS_KEY_LENGTH))
        return `keys of 1..${MAX_SETTINGS_KEY_LENGTH} characters`;
    }
    for (const child of children) {
      const problem = walk(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(value, 1);
}

/**
 * Arbitrary JSON settings, bounded so one organization cannot bloat its item or break the store:
 * 50 top-level keys, 200 keys in all, keys of 1..64 characters, 8 levels, 8 KB serialized, every
 * number storable. The pipeline has already refused deeper bodies and prototype keys.
 */
export const settingsField = z.record(z.string().check(z.minLength(1), z.maxLength(MAX_SETTINGS_KEY_LENGTH)), z.json()).check(
  z.refine((value) => Object.keys(value).length <= 50, 'at most 50 keys'),
  z.refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_SETTINGS_BYTES, `at most ${MAX_SETTINGS_BYTES} bytes`),
  z.refine((value) => settingsProblem(value) === undefined, { error: (issue) => settingsProblem(issue.input) ?? 'invalid settings' }),
);

/** `limit` (1..100, default 50) and an opaque `next_token`, the same on every list. */
export const pageQueryFields = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  next_token: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};
