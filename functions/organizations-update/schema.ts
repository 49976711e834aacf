import { organizationNameField, orgIdField, settingsField, z } from '@astral/lib/http';
import { descriptionField } from '@astral/lib/organizations';

export const updateOrganizationParams = z.strictObject({ org_id: orgIdField });

export const updateOrganizationBody = z
  .strictObject({
    name: z.optional(organizationNameField),
    description: z.optional(descriptionField),
    /** Partial: merged key by key into the stored settings; `null` removes a key. */
    settings: z.optional(settingsField),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'give at least one of name, description, settings'));
