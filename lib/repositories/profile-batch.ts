import type { Period, PeriodTotals } from '../activities/period-totals';
import type { DocumentClient } from '../db/client';
import { batchGetItems } from './batch-get';
import { keys } from './keys';
import { type Organization, toOrganization } from './organization-repository';
import { totalsOf } from './period-totals';
import { type ProfileTies, profileTiesOf } from './profile-ties';
import { toUser, type User } from './user-repository';

/**
 * A user's profile item, read whole and typed: the profile (fields and privacy settings), the user's
 * ties everywhere (ADR 0006) and their period totals. One item carries all three so one consistent
 * BatchGet answers a relationship, a roster page, a feed page or a leaderboard.
 */
export interface StoredProfile {
  readonly user: User;
  readonly ties: ProfileTies;
  /** The totals of one period bucket; zero where nothing was counted. */
  totals(period: Period, bucket: string): PeriodTotals;
}

export function toStoredProfile(item: Readonly<Record<string, unknown>>): StoredProfile {
  return { user: toUser(item), ties: profileTiesOf(item), totals: (period, bucket) => totalsOf(item, period, bucket) };
}

export interface ProfileBatch {
  /** By user id; users without a profile are absent. */
  readonly profiles: ReadonlyMap<string, StoredProfile>;
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
  options: { readonly organizationId?: string | undefined } = {},
): Promise<ProfileBatch> {
  const batchKeys = [
    ...(options.organizationId !== undefined ? [keys.organization(options.organizationId)] : []),
    ...[...new Set(userIds)].map((id) => keys.user(id)),
  ];
  const profiles = new Map<string, StoredProfile>();
  let organization: Organization | undefined;
  if (batchKeys.length === 0) return { profiles };
  for (const item of await batchGetItems(client, table, batchKeys, { consistent: true })) {
    if (item.entity === 'user') profiles.set(String(item.user_id), toStoredProfile(item));
    else if (item.entity === 'organization') organization = toOrganization(item);
  }
  return { profiles, ...(organization ? { organization } : {}) };
}
