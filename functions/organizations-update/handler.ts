import { httpHandler, ok, ValidationError, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, OrganizationUpdater, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const updater = new OrganizationUpdater(client, tableName());

const MAX_SETTINGS_KEYS = 50;
const MAX_SETTINGS_BYTES = 8 * 1024;

export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'organization:update');
  if (body.settings) {
    // The merged object keeps the same bounds as a created one.
    const merged: Record<string, unknown> = { ...org.settings };
    for (const [key, value] of Object.entries(body.settings)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (Object.keys(merged).length > MAX_SETTINGS_KEYS || Buffer.byteLength(JSON.stringify(merged), 'utf8') > MAX_SETTINGS_BYTES) {
      throw new ValidationError('invalid request: settings', [
        { path: 'settings', message: 'merged settings would exceed their size limits' },
      ]);
    }
  }
  const updated = await updater.update(org, body, principal.user_id);
  const organization: Record<string, unknown> = { org_id: updated.org_id, org_name: updated.org_name };
  if (body.description !== undefined) organization.description = updated.description;
  organization.settings = updated.settings;
  return ok({ message: 'Organization updated successfully', organization });
}

export const handler = httpHandler(contract, handle);
