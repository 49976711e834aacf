import { orgIdField, settingsField, z } from '@astral/lib/http';
import { descriptionField, organizationNameField } from '@astral/lib/organizations';

export const updateOrganizationParams = z.object({ org_id: orgIdField }).strict();

export const updateOrganizationBody = z
  .object({
    name: organizationNameField.optional(),
    description: descriptionField.optional(),
    /** Partial: merged key by key into the stored settings; `null` removes a key. */
    settings: settingsField.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, description, settings');
