import { profileFieldSchemas } from '@astral/lib/users';
import { z } from '@astral/lib/http';

const { display_name, ...clearable } = profileFieldSchemas;

/**
 * Partial profile update: every field optional; `null` clears a field (display_name cannot be
 * cleared). `privacy` is validated key by key by the policy engine's patch, which names each bad key.
 */
export const updateUserBody = z.strictObject({
  display_name: z.optional(display_name),
  ...Object.fromEntries(Object.entries(clearable).map(([key, schema]) => [key, z.optional(z.nullable(schema))])),
  privacy: z.optional(z.record(z.string(), z.unknown())),
});
