import type { Principal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import type { FactsInput, MembershipRecord, OrganizationRecord, Viewer } from '../policy';
import { viewerOf } from '../policy';
import { batchGetItems } from '../repositories/batch-get';
import { queryUserTies, type UserTie } from './user-ties';

/** Keys the loader reads; they follow docs/data-model.md (member, coach and head-coach link items). */
const orgKey = (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'ORG' });
const memberKey = (orgId: string, userId: string) => ({ pk: `ORG#${orgId}`, sk: `MEMBER#${userId}` });


/**
 * Loads what the privacy engine needs to relate one viewer to some athletes, with a bounded number
 * of calls whatever the number of athletes: one Query of the viewer's ties (memberships, coach roles,
 * head-coach links, through the `by-user` index), then consistent BatchGets of those organizations,
 * the viewer's and the athletes' memberships in them (⌈K·(N + 2)/100⌉ calls for K organizations and
 * N athletes).
 * Organizations the viewer has no tie to cannot make anyone coach or group, so they are never read.
 */
export class RelationshipLoader {
  constructor(private readonly client: DocumentClient, private readonly table: string) {}

  async load(principal: Principal | undefined, athleteIds: readonly string[]): Promise<FactsInput> {
    const viewer: Viewer = viewerOf(principal);
    const others = athleteIds.filter((id) => viewer.kind !== 'user' || id !== viewer.user_id);
    if (viewer.kind !== 'user' || others.length === 0) return { viewer, organizations: [], memberships: [] };

    // The index only nominates organizations: it may lag a write. Every fact used below is then read
    // strongly consistently from the table, so a revocation applies on the next request; a grant
    // that has not reached the index yet fails closed for a moment.
    const orgIds = new Set<string>();
    for (const tie of await this.viewerTies(viewer.user_id)) if (tie.org_id && tie.status !== 'removed') orgIds.add(tie.org_id);
    if (orgIds.size === 0) return { viewer, organizations: [], memberships: [] };

    const keys = [...orgIds].flatMap((orgId) => [orgKey(orgId), memberKey(orgId, viewer.user_id), ...others.map((athleteId) => memberKey(orgId, athleteId))]);
    const items = await this.batchGet(keys);
    const organizations: OrganizationRecord[] = [];
    const memberships: MembershipRecord[] = [];
    for (const item of items) {
      if (item.entity === 'organization') {
        organizations.push({ org_id: String(item.org_id), head_coach_user_id: String(item.head_coach_user_id), coaches: (item.coaches as { user_id: string }[] | undefined) ?? [] });
      } else if (item.entity === 'member' && item.status !== 'removed') {
        memberships.push({ org_id: String(item.org_id), user_id: String(item.user_id), status: String(item.status), assigned_coach_id: (item.assigned_coach_id as string | undefined) ?? null });
      }
    }
    return { viewer, organizations, memberships };
  }

  private viewerTies(userId: string): Promise<UserTie[]> {
    return queryUserTies(this.client, this.table, userId);
  }

  /** Strongly consistent: memberships are authorization facts, a change applies on the next request. */
  private batchGet(keys: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    return batchGetItems(this.client, this.table, keys, { consistent: true });
  }
}
