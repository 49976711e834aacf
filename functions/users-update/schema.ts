import { profileFieldSchemas } from '@astral/lib/users';
import { z } from '@astral/lib/http';

const { display_name, ...clearable } = profileFieldSchemas;

/**
 * Partial profile update: every field optional; `null` clears a field (display_name cannot be
 * cleared). `privacy` is validated key by key by the policy engine's patch, which names each bad key.
 */
export const updateUserBody = z
  .object({
    display_name: display_name.optional(),
    ...Object.fromEntries(Object.entries(clearable).map(([key, schema]) => [key, schema.nullable().optional()])),
    privacy: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
