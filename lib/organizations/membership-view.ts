import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';

/** Membership data: the organization's own, shown to those allowed to see the roster (privacy.md §5). */
export const MEMBERSHIP_FIELDS = [
  'user_id',
  'display_name',
  'member_level',
  'labels',
  'status',
  'consent',
  'assigned_coach_id',
  'joined_at',
] as const;

export type MembershipView = Partial<Record<(typeof MEMBERSHIP_FIELDS)[number], unknown>> & { readonly user_id: string };

/** `display_name` is the coach's nickname, else the athlete's own name as stored when they joined. */
export function membershipView(item: object): MembershipView {
  const src = item as Record<string, unknown>;
  const view: Record<string, unknown> = {};
  for (const field of MEMBERSHIP_FIELDS) {
    const value = field === 'display_name' ? (src.display_name ?? src.athlete_name) : src[field];
    if (value !== undefined && value !== null) view[field] = value;
  }
  return view as MembershipView;
}

/** One membership, strongly consistent (it decides access); removed members (tombstones) are absent. */
export async function findActiveOrPastMember(
  client: DocumentClient,
  table: string,
  orgId: string,
  userId: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await client.send(
    new GetCommand({ TableName: table, Key: { pk: `ORG#${orgId}`, sk: `MEMBER#${userId}` }, ConsistentRead: true }),
  );
  if (!out.Item || out.Item.status === 'removed') return undefined;
  return out.Item;
}
