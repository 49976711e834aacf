import { z } from '@astral/lib/http';
import { displayNameField, httpsUrlField } from '@astral/lib/users';

/** Imports and integrations create users with the basic profile; the athlete completes it later. */
export const createUserBody = z.strictObject({
  display_name: displayNameField,
  profile_image_url: z.optional(httpsUrlField),
  bio: z.optional(z.string().check(z.maxLength(2000))),
  gender: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))),
});
