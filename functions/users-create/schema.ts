import { displayNameField, z } from '@astral/lib/http';

/** Imports and integrations create users with the basic profile; the athlete completes it later. */
export const createUserBody = z
  .object({
    display_name: displayNameField,
    profile_image_url: z.url({ protocol: /^https$/ }).max(2048).optional(),
    bio: z.string().max(2000).optional(),
    gender: z.string().trim().min(1).max(32).optional(),
  })
  .strict();
