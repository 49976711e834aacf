import { type BoardMetric, boardValue, bucketOf, type Period } from '../activities/period-totals';
import { RelatedAthletes } from '../athletes/related-athletes';
import type { UserPrincipal } from '../auth/principal';
import type { DocumentClient } from '../db/client';
import { NotFoundError } from '../errors';
import { grantOrganizationAccess } from '../organizations/access';
import { type LeaderboardEntry, type LeaderboardMetric, viewerOf } from '../policy';
import { type BoardEntry, type BoardPage, BoardRepository } from '../repositories/board-repository';
import { GroupRepository } from '../repositories/group-repository';
import { keys } from '../repositories/keys';
import type { Organization } from '../repositories/organization-repository';
import { readProfileBatch, type StoredProfile } from '../repositories/profile-batch';
import { organizationRecord } from '../relationships/organization-ties';
import type { BoardPosition } from './board-position';

export * from './board-position';

export const LEADERBOARD_METRICS = ['distance', 'time', 'count', 'pace'] as const satisfies readonly (LeaderboardMetric & BoardMetric)[];
export const LEADERBOARD_PERIODS = ['week', 'month', 'year', 'all'] as const satisfies readonly Period[];

/**
 * Board pages read for one response at most: hidden athletes (not taking part, hiding pace, gone)
 * are skipped, so a response may need more than one; this bounds its cost, and a response cut short
 * carries `next_token` to continue.
 */
const MAX_ROUNDS = 3;

export interface LeaderboardQuery {
  readonly metric: LeaderboardMetric;
  readonly period: Period;
  readonly groupId?: string | undefined;
  /** Which bucket is current (the week, month or year containing it, UTC). */
  readonly now: Date;
  readonly limit: number;
  /** Where the previous page stopped (its token). */
  readonly start?: BoardPosition | undefined;
}

export interface LeaderboardPage {
  readonly entries: LeaderboardEntry[];
  /** Present when the board may hold more. */
  readonly next?: BoardPosition;
}

/** What every round of one response shares: the board, the authorized organization, the viewer. */
interface Round {
  readonly viewer: UserPrincipal;
  readonly org: Organization;
  readonly viewerProfile: StoredProfile | undefined;
  readonly groupMembers: ReadonlySet<string> | undefined;
  readonly metric: LeaderboardMetric;
}

/**
 * An organization's leaderboard, one page (privacy context `leaderboard`, action `leaderboard:read`),
 * from the ranked read model (ADR 0013) instead of the roster: its cost depends on the page, never
 * on the organization's size. Per round: one Query of the board's index in rank order, then one
 * strongly consistent BatchGet of the page's athletes' profiles (settings, name, photo and their ties:
 * whether they are still active members here), the first also carrying the organization item and the
 * viewer's profile (authorization, and the viewer's ties everywhere); with `group_id` a strongly
 * consistent GetItem of the group (its members) runs beside the first Query. Hidden athletes are
 * skipped before ranking, so ranks are positions among the athletes this viewer may see, across
 * pages; at most MAX_ROUNDS rounds per response.
 */
export class LeaderboardReader {
  private readonly boards: BoardRepository;
  private readonly groups: GroupRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.boards = new BoardRepository(client, table);
    this.groups = new GroupRepository(client, table);
  }

  async page(viewer: UserPrincipal, orgId: string, query: LeaderboardQuery): Promise<LeaderboardPage> {
    const board = keys.board(orgId, { groupId: query.groupId }, query.period, bucketOf(query.period, query.now));
    const [first, group] = await Promise.all([
      this.boards.page(query.metric, board, query.limit, query.start?.key),
      query.groupId !== undefined ? this.groups.get(orgId, query.groupId) : Promise.resolve(undefined),
    ]);
    const { profiles, organization } = await readProfileBatch(this.client, this.table, [viewer.user_id, ...athletesOf(first)], {
      organizationId: orgId,
    });
    const viewerProfile = profiles.get(viewer.user_id);
    const ownTie = viewerProfile?.ties.memberships.get(orgId);
    // A member counts only once they accepted (privacy.md §8); coaches manage whatever their answer.
    const callerIsActiveMember = ownTie?.status === 'active' && ownTie.consent === 'accepted';
    const { org } = grantOrganizationAccess(viewer, organization, 'leaderboard:read', { callerIsActiveMember });
    if (query.groupId !== undefined && !group) throw new NotFoundError('group not found');
    const round: Round = { viewer, org, viewerProfile, groupMembers: group ? new Set(group.member_ids) : undefined, metric: query.metric };
    return this.collect(round, board, query, first, profiles);
  }

  /** Visible entries from the board, round after round, until `limit` of them, the board's end or MAX_ROUNDS. */
  private async collect(
    round: Round,
    board: string,
    query: LeaderboardQuery,
    first: BoardPage,
    firstProfiles: ReadonlyMap<string, StoredProfile>,
  ): Promise<LeaderboardPage> {
    const entries: LeaderboardEntry[] = [];
    let shown = query.start?.shown ?? 0;
    let page = first;
    let profiles = firstProfiles;
    for (let rounds = 1; ; rounds += 1) {
      const related = relate(round, athletesOf(page), profiles);
      for (const [index, candidate] of page.entries.entries()) {
        const entry = visibleEntry(round, related, candidate, shown + 1);
        if (!entry) continue;
        entries.push(entry);
        shown += 1;
        if (entries.length === query.limit) {
          const more = index < page.entries.length - 1 || page.lastKey !== undefined;
          return { entries, ...(more ? { next: { key: candidate.position, shown } } : {}) };
        }
      }
      if (!page.lastKey) return { entries };
      if (rounds === MAX_ROUNDS) return { entries, next: { key: page.lastKey, shown } };
      // Hidden athletes came before: read twice what is missing (and a few more), so one more round usually does.
      page = await this.boards.page(query.metric, board, Math.min(100, 2 * (query.limit - entries.length) + 4), page.lastKey);
      profiles = (await readProfileBatch(this.client, this.table, athletesOf(page))).profiles;
    }
  }
}

const athletesOf = (page: BoardPage): string[] => page.entries.map((entry) => entry.user_id);

/** One round's athletes related to the viewer through the one path (relate → decide → shape). */
function relate(round: Round, athleteIds: readonly string[], profiles: ReadonlyMap<string, StoredProfile>): RelatedAthletes {
  return RelatedAthletes.relate({
    viewer: viewerOf(round.viewer),
    athleteIds,
    profiles,
    ...(round.viewerProfile ? { viewerProfile: round.viewerProfile } : {}),
    organizations: [organizationRecord(round.org)],
  });
}

/**
 * The candidate's entry when this viewer may see it, ranked `rank`: an active member who accepted
 * (their tie here, read just now: one who left is skipped at once, whatever the model still holds),
 * in the group when there is one, taking part and letting this viewer see them (pace: sharing it).
 */
function visibleEntry(round: Round, related: RelatedAthletes, candidate: BoardEntry, rank: number): LeaderboardEntry | undefined {
  const profile = related.profileOf(candidate.user_id);
  const tie = profile?.ties.memberships.get(round.org.org_id);
  if (!profile || tie?.status !== 'active' || tie.consent !== 'accepted') return undefined;
  if (round.groupMembers && !round.groupMembers.has(candidate.user_id)) return undefined;
  const decision = related.leaderboardDecision(candidate.user_id, round.metric);
  const value = boardValue(candidate.totals, round.metric);
  if (!decision || value === undefined) return undefined;
  return related.leaderboardEntry(
    {
      rank,
      user_id: candidate.user_id,
      // The athlete's own name: the coach's nickname is the organization's, not for the whole board.
      display_name: profile.user.display_name,
      value,
      ...(profile.user.profile_image_url !== undefined ? { profile_image_url: profile.user.profile_image_url } : {}),
    },
    decision,
    round.metric,
  );
}
