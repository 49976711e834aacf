import * as z from 'zod/mini';
import { CONSENTS } from '../policy/consent';
import { PROFILE_STATUS_FLAGS, ROSTER_PROFILE_FIELDS } from '../policy/fields';
import { timestamp } from './common';

/** The organization object of the product document ("Response fields"). */
export const organizationShape = z.object({
  org_id: z.string(),
  org_name: z.string(),
  description: z.optional(z.string()),
  head_coach_user_id: z.string(),
  coaches: z.array(z.object({ user_id: z.string(), name: z.string(), role: z.string() })),
  settings: z.optional(z.record(z.string(), z.json())),
  created_at: timestamp,
});

/** A roster entry (privacy.md §5): the organization's own data about the membership. */
export const memberFields = {
  user_id: z.string(),
  display_name: z.optional(z.string()),
  member_level: z.optional(z.string()),
  labels: z.array(z.string()),
  status: z.string(),
  consent: z.enum(CONSENTS),
  assigned_coach_id: z.optional(z.string()),
  joined_at: timestamp,
};
export const memberShape = z.object(memberFields);

/** A roster row with `include_profile_status`: the flags, and the two profile fields the lister may see (privacy.md §5). */
export const rosterRowShape = z.object({
  ...memberFields,
  profile_status: z.optional(
    z.object({
      ...Object.fromEntries(PROFILE_STATUS_FLAGS.map((flag) => [flag, z.boolean()])),
      ...Object.fromEntries(ROSTER_PROFILE_FIELDS.map((field) => [field, z.optional(z.string())])),
    }),
  ),
});

/** The group object of api.md: `group_id`, `name`, `description`, `member_ids`. */
export const groupShape = z.object({
  group_id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  member_ids: z.array(z.string()),
});

/** A coach as the organization lists it (and as coach add/remove answer). */
export const coachShape = z.object({
  user_id: z.string(),
  name: z.string(),
  role: z.string(),
  consent: z.optional(z.enum(CONSENTS)),
  added_at: z.optional(timestamp),
});
