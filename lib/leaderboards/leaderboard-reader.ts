import { bucketOf, type Period, type PeriodTotals } from '../activities/period-totals';
import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { NotFoundError } from '../errors';
import { type Decision, type LeaderboardEntry, type LeaderboardMetric, viewerOf } from '../policy';
import { GroupRepository } from '../repositories/group-repository';
import { type Member, MemberRepository } from '../repositories/member-repository';
import type { Organization } from '../repositories/organization-repository';
import { membershipRecord, organizationRecord } from '../relationships/organization-ties';
import { readProfileBatch } from '../repositories/profile-batch';
import { coachingNeedsViewerTies, profilesFor } from '../relationships/profile-facts';
import { RelatedAthletes } from '../athletes/related-athletes';
import { grantOrganizationAccess } from '../organizations/access';

export const LEADERBOARD_METRICS = ['distance', 'time', 'count', 'pace'] as const satisfies readonly LeaderboardMetric[];
export const LEADERBOARD_PERIODS = ['week', 'month', 'year', 'all'] as const satisfies readonly Period[];

/** Roster Query page size: member items are small, so a page is bounded by this rather than by 1 MB. */
const ROSTER_PAGE = 1000;

export interface LeaderboardQuery {
  readonly metric: LeaderboardMetric;
  readonly period: Period;
  readonly groupId?: string | undefined;
  /** Which bucket is current (the week, month or year containing it, UTC). */
  readonly now: Date;
}

interface Ranked {
  readonly user_id: string;
  readonly display_name: string;
  readonly value: number;
  readonly profile_image_url?: string;
  readonly decision: Decision;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * An organization's leaderboard (privacy context `leaderboard`), authorized on the facts it reads
 * (action `leaderboard:read`). Calls, for N active members (of the group, with `group_id`):
 *   - the roster Query pages (⌊(roster + 1) / 1,000⌋ + 1), strongly consistent, which also carry the
 *     organization item (MemberRepository.activeRosterAndOrganization): the authorization facts and,
 *     with the roster, every tie here;
 *   - with `group_id`, a strongly consistent GetItem of the group, concurrently;
 *   - ⌈N/100⌉ consistent BatchGets of the N profiles: settings, display name, photo, period totals AND
 *     the athletes' ties everywhere (lib/repositories/profile-ties.ts), so a tie elsewhere that makes
 *     the viewer their coach is known without another read.
 * The viewer's own profile joins the batch only for an admin with no tie here (whose ties elsewhere
 * decide `group`), and is read afterwards only in the rare case an athlete's tie names the viewer as
 * assigned or head coach of another organization (only their profile confirms they still coach it
 * and accepted to). Pending members are not on the roster read (privacy.md §8).
 */
export class LeaderboardReader {
  private readonly members: MemberRepository;
  private readonly groups: GroupRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.members = new MemberRepository(client, table);
    this.groups = new GroupRepository(client, table);
  }

  async read(viewer: UserPrincipal, orgId: string, query: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    const board = await this.candidates(viewer, orgId, query.groupId);
    if (board.athleteIds.length === 0) return [];
    const athletes = await this.relate(viewer, board);
    const bucket = bucketOf(query.period, query.now);
    const ranked: Ranked[] = [];
    for (const athleteId of board.athleteIds) {
      const profile = athletes.profileOf(athleteId);
      // Filter BEFORE ranking: a hidden athlete must not leave a gap that gives them away.
      const decision = profile ? athletes.leaderboardDecision(athleteId, query.metric) : undefined;
      const value = profile ? metricValue(profile.totals(query.period, bucket), query.metric) : undefined;
      if (!profile || !decision || value === undefined) continue;
      ranked.push({
        user_id: athleteId,
        // The athlete's own name: the coach's nickname is the organization's, not for the whole board.
        display_name: profile.user.display_name,
        value,
        ...(profile.user.profile_image_url !== undefined ? { profile_image_url: profile.user.profile_image_url } : {}),
        decision,
      });
    }
    ranked.sort(byRank(query.metric));
    const entries: LeaderboardEntry[] = [];
    for (const [index, { decision, ...athlete }] of ranked.entries()) {
      const entry = athletes.leaderboardEntry({ rank: index + 1, ...athlete }, decision, query.metric);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  /** The roster (and organization) and the group, concurrently; access decided on them; the athletes to rank. */
  private async candidates(viewer: UserPrincipal, orgId: string, groupId: string | undefined): Promise<Candidates> {
    const [{ organization, members: roster }, group] = await Promise.all([
      this.members.activeRosterAndOrganization(orgId, ROSTER_PAGE),
      groupId !== undefined ? this.groups.get(orgId, groupId) : Promise.resolve(undefined),
    ]);
    const callerIsActiveMember = roster.some((m) => m.user_id === viewer.user_id);
    const { org, role } = grantOrganizationAccess(viewer, organization, 'leaderboard:read', {
      callerIsActiveMember,
    });
    if (groupId !== undefined && !group) throw new NotFoundError('group not found');
    const groupMembers = group ? new Set(group.member_ids) : undefined;
    const candidates = groupMembers ? roster.filter((m) => groupMembers.has(m.user_id)) : roster;
    const tiedHere =
      role !== 'admin' ||
      callerIsActiveMember ||
      org.head_coach_user_id === viewer.user_id ||
      org.coaches.some((c) => c.user_id === viewer.user_id);
    return { org, roster, tiedHere, athleteIds: candidates.map((m) => m.user_id) };
  }

  /** The candidates' profiles (and the viewer's where it decides anything), related through the one path. */
  private async relate(viewer: UserPrincipal, board: Candidates): Promise<RelatedAthletes> {
    const { org, athleteIds } = board;
    const profileIds = board.tiedHere || athleteIds.includes(viewer.user_id) ? athleteIds : [...athleteIds, viewer.user_id];
    // Consistent: a participation or sharing switch turned off, or a tie ended, applies on the next read.
    const { profiles } = await readProfileBatch(this.client, this.table, profileIds);
    let viewerProfile = profiles.get(viewer.user_id);
    // A head coach who accepted here is every athlete's coach already; anyone else named as coach by an
    // athlete's tie elsewhere is confirmed (still coaching, and accepted) only by their own profile.
    const coachOfEveryone = org.head_coach_user_id === viewer.user_id && org.head_coach_consent === 'accepted';
    if (
      !viewerProfile &&
      !coachOfEveryone &&
      coachingNeedsViewerTies(viewer.user_id, profilesFor(athleteIds, profiles), new Set([org.org_id]))
    ) {
      viewerProfile = (await readProfileBatch(this.client, this.table, [viewer.user_id])).profiles.get(viewer.user_id);
    }
    return RelatedAthletes.relate({
      viewer: viewerOf(viewer),
      athleteIds,
      profiles,
      ...(viewerProfile ? { viewerProfile } : {}),
      organizations: [organizationRecord(org)],
      memberships: board.roster.map(membershipRecord),
    });
  }
}

interface Candidates {
  readonly org: Organization;
  readonly roster: readonly Member[];
  /** The viewer holds a role or membership here (else, an admin, their ties elsewhere may decide). */
  readonly tiedHere: boolean;
  readonly athleteIds: readonly string[];
}

/** The metric's value for one athlete; undefined for a pace without distance (nothing to rank). */
function metricValue(totals: PeriodTotals, metric: LeaderboardMetric): number | undefined {
  if (metric === 'pace') return totals.distance_m > 0 ? round1(totals.moving_time_s / (totals.distance_m / 1000)) : undefined;
  return metric === 'distance' ? totals.distance_m : metric === 'time' ? totals.moving_time_s : totals.count;
}

/** Best first (lowest pace, highest otherwise); ties by user id, so the order is stable. */
function byRank(metric: LeaderboardMetric): (a: Ranked, b: Ranked) => number {
  const lowerIsBetter = metric === 'pace';
  return (a, b) => {
    if (a.value !== b.value) return lowerIsBetter ? a.value - b.value : b.value - a.value;
    return a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0;
  };
}
