import { bucketOf, totalsOf, type Period } from '../activities/period-totals';
import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { NotFoundError } from '../errors';
import { decisionFor, isOnLeaderboard, resolveRelationships, resolveSettings, shapeLeaderboardEntry, viewerOf, type LeaderboardEntry, type LeaderboardMetric } from '../policy';
import { batchGetItems } from '../repositories/batch-get';
import { GroupRepository } from '../repositories/group-repository';
import { keys } from '../repositories/keys';
import { MemberRepository, type Member } from '../repositories/member-repository';
import { membershipRecord, organizationRecord, OrganizationTies, sortTieItems, type LoadedOrganization } from '../relationships/organization-ties';

export const LEADERBOARD_METRICS = ['distance', 'time', 'count', 'pace'] as const satisfies readonly LeaderboardMetric[];
export const LEADERBOARD_PERIODS = ['week', 'month', 'year', 'all'] as const satisfies readonly Period[];

/** Roster Query page size: member items are small, so a page is bounded by this rather than by 1 MB. */
const ROSTER_PAGE = 1000;

export interface LeaderboardQuery {
  readonly metric: LeaderboardMetric;
  readonly period: Period;
  readonly groupId?: string;
  /** Which bucket is current (the week, month or year containing it, UTC). */
  readonly now: Date;
}

interface Ranked {
  readonly user_id: string;
  readonly display_name: string;
  readonly value: number;
  readonly profile_image_url?: string;
  readonly decision: ReturnType<typeof decisionFor>;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * An organization's leaderboard (privacy context `leaderboard`). Calls, for N active members (of the
 * group, with `group_id`): the roster Query pages (⌈roster / 1,000⌉, plus one when the last page is
 * exactly full), a strongly consistent GetItem of the group when one is named, one Query of the
 * viewer's ties unless the viewer is the head coach, and ⌈(N + K·(N + 2)) / 100⌉ consistent
 * BatchGets: the N profiles (settings, display name, photo AND period totals, all on the profile
 * item), plus K·(N + 2) keys for the viewer's K other organizations (OrganizationTies).
 */
export class LeaderboardReader {
  private readonly members: MemberRepository;
  private readonly groups: GroupRepository;
  private readonly ties: OrganizationTies;

  constructor(private readonly client: DocumentClient, private readonly table: string) {
    this.members = new MemberRepository(client, table);
    this.groups = new GroupRepository(client, table);
    this.ties = new OrganizationTies(client, table);
  }

  async read(viewer: UserPrincipal, org: LoadedOrganization, query: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    let groupMembers: Set<string> | undefined;
    if (query.groupId !== undefined) {
      const group = await this.groups.get(org.org_id, query.groupId);
      if (!group) throw new NotFoundError('group not found');
      groupMembers = new Set(group.member_ids);
    }
    const roster = await this.activeMembers(org.org_id);
    const candidates = groupMembers ? roster.filter((m) => groupMembers.has(m.user_id)) : roster;
    if (candidates.length === 0) return [];

    const athleteIds = candidates.map((m) => m.user_id);
    const otherOrgIds = await this.ties.otherOrganizations(viewer.user_id, org);
    const batchKeys = [...athleteIds.map((id) => keys.user(id)), ...this.ties.keys(otherOrgIds, viewer.user_id, athleteIds)];
    // Consistent: a participation or sharing switch turned off applies on the next read.
    const { profiles, organizations, memberships } = sortTieItems(await batchGetItems(this.client, this.table, batchKeys, { consistent: true }));
    // The roster already holds every membership here, the viewer's too when they are a member.
    const relationships = resolveRelationships(
      { viewer: viewerOf(viewer), organizations: [organizationRecord(org), ...organizations], memberships: [...roster.map(membershipRecord), ...memberships] },
      athleteIds,
    );

    const bucket = bucketOf(query.period, query.now);
    const ranked: Ranked[] = [];
    for (const athleteId of athleteIds) {
      const profile = profiles.get(athleteId);
      if (!profile) continue;
      const decision = decisionFor(resolveSettings(profile.privacy as Record<string, boolean> | undefined), relationships.get(athleteId) ?? 'public', 'leaderboard');
      // Filter BEFORE ranking: a hidden athlete must not leave a gap that gives them away.
      if (!isOnLeaderboard(decision, query.metric)) continue;
      const totals = totalsOf(profile, query.period, bucket);
      let value: number;
      if (query.metric === 'pace') {
        if (totals.distance_m <= 0) continue;
        value = round1(totals.moving_time_s / (totals.distance_m / 1000));
      } else value = query.metric === 'distance' ? totals.distance_m : query.metric === 'time' ? totals.moving_time_s : totals.count;
      ranked.push({
        user_id: athleteId,
        // The athlete's own name: the coach's nickname is the organization's, not for the whole board.
        display_name: typeof profile.display_name === 'string' ? profile.display_name : athleteId,
        value,
        ...(typeof profile.profile_image_url === 'string' ? { profile_image_url: profile.profile_image_url } : {}),
        decision,
      });
    }
    const lowerIsBetter = query.metric === 'pace';
    ranked.sort((a, b) => (a.value !== b.value ? (lowerIsBetter ? a.value - b.value : b.value - a.value) : a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
    const entries: LeaderboardEntry[] = [];
    for (const [index, athlete] of ranked.entries()) {
      const entry = shapeLeaderboardEntry({ rank: index + 1, user_id: athlete.user_id, display_name: athlete.display_name, value: athlete.value, ...(athlete.profile_image_url ? { profile_image_url: athlete.profile_image_url } : {}) }, athlete.decision, query.metric);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private async activeMembers(orgId: string): Promise<Member[]> {
    const out: Member[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.members.listPage(orgId, { status: 'active' }, ROSTER_PAGE, startKey);
      out.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return out;
  }
}
