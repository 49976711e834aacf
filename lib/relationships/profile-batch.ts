import type { DocumentClient } from '../db/client';
import { batchGetItems } from '../repositories/batch-get';
import { keys } from '../repositories/keys';
import { toOrganization, type Organization } from '../repositories/organization-repository';

export interface ProfileBatch {
  /** Stored profile items (settings, profile fields, ties) by user id; users without a profile are absent. */
  readonly profiles: Map<string, Record<string, unknown>>;
  /** The organization item, when one was asked for and exists. */
  readonly organization?: Organization;
}

/**
 * Users' profile items, and optionally an organization's item, in ONE strongly consistent batch
 * (⌈keys/100⌉ calls): profiles carry privacy settings and ties, the organization the authorization
 * facts, and each must apply on the next request.
 */
export async function readProfileBatch(
  client: DocumentClient,
  table: string,
  userIds: readonly string[],
  options: { readonly organizationId?: string } = {},
): Promise<ProfileBatch> {
  const batchKeys = [
    ...(options.organizationId !== undefined ? [keys.organization(options.organizationId)] : []),
    ...[...new Set(userIds)].map((id) => keys.user(id)),
  ];
  const profiles = new Map<string, Record<string, unknown>>();
  let organization: Organization | undefined;
  if (batchKeys.length === 0) return { profiles };
  for (const item of await batchGetItems(client, table, batchKeys, { consistent: true })) {
    if (item.entity === 'user') profiles.set(String(item.user_id), item);
    else if (item.entity === 'organization') organization = toOrganization(item);
  }
  return { profiles, ...(organization ? { organization } : {}) };
}
