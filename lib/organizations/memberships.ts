import type { DocumentClient } from '../db/client';
import type { ConsentAnswer } from '../policy';
import { ConsentRepository } from '../repositories/consent-repository';
import type { NamedItem } from '../repositories/transact';
import { leaveGroupsFor } from '../repositories/group-membership';
import { MemberRepository } from '../repositories/member-repository';
import { OrganizationRepository } from '../repositories/organization-repository';
import { tiesIn, type ProfileTies, type TieInvitation, type TieKind } from '../repositories/profile-ties';

/** How api.md names a tie's kind to the user who holds it. */
const ROLE_OF: Readonly<Record<TieKind, MembershipRole>> = { member: 'member', coach: 'coach', head: 'head_coach' };
export type MembershipRole = 'member' | 'coach' | 'head_coach';

/** One tie as its holder sees it in `GET /users/me/memberships`. */
export interface MembershipEntry {
  readonly org_id: string;
  readonly org_name: string;
  readonly role: MembershipRole;
  readonly status: string;
  readonly consent: TieInvitation['consent'];
  readonly invited_by: string;
  readonly invited_at: string;
  readonly answered_at?: string;
}

/** The answer as `PUT /users/me/memberships/{org_id}` reports it. */
export interface AnsweredMembership {
  readonly org_id: string;
  readonly org_name: string;
  readonly consent: ConsentAnswer;
  readonly answered_at: string;
  /** Every tie the answer covered (all of the caller's pending ones there). */
  readonly roles: readonly MembershipRole[];
}

function entriesOf(ties: ProfileTies, orgId: string, orgName: string): MembershipEntry[] {
  return tiesIn(ties, orgId).map(({ kind, tie, status }) => ({
    org_id: orgId,
    org_name: orgName,
    role: ROLE_OF[kind],
    status,
    consent: tie.consent,
    invited_by: tie.invited_by,
    invited_at: tie.invited_at,
    ...(tie.answered_at !== undefined ? { answered_at: tie.answered_at } : {}),
  }));
}

/**
 * A user's own ties and their answers to them (privacy.md §8). The ties are read from the user's
 * profile (ADR 0006: every tie is mirrored there in the same transaction as the tie itself), strongly
 * consistently; organization names are display data, read eventually consistently in one batch.
 */
export class Memberships {
  private readonly consents: ConsentRepository;
  private readonly organizations: OrganizationRepository;
  private readonly members: MemberRepository;

  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {
    this.consents = new ConsentRepository(client, table);
    this.organizations = new OrganizationRepository(client, table);
    this.members = new MemberRepository(client, table);
  }

  /** Every live tie of the user, newest invitation first: 1 GetItem-sized batch + ⌈K/100⌉ BatchGets for K organizations. */
  async list(userId: string): Promise<MembershipEntry[]> {
    const { ties } = await this.consents.read(userId);
    return this.listOf(ties);
  }

  /** The same list from ties already read strongly with the profile (the export reads the profile once). */
  async listOf(ties: ProfileTies): Promise<MembershipEntry[]> {
    const orgIds = [...new Set([...ties.memberships.keys(), ...ties.coaching.keys(), ...ties.heading.keys()])];
    if (orgIds.length === 0) return [];
    const names = await this.organizations.getMany(orgIds);
    const entries = orgIds.flatMap((orgId) => entriesOf(ties, orgId, names.get(orgId)?.org_name ?? ''));
    return entries.sort((a, b) =>
      a.invited_at !== b.invited_at
        ? a.invited_at < b.invited_at
          ? 1
          : -1
        : a.org_id.localeCompare(b.org_id) || a.role.localeCompare(b.role),
    );
  }

  /**
   * The user's answer to every pending tie they hold in the organization. A decline ends a
   * membership (the user also leaves the organization's training groups) or a coach role (members
   * assigned to them are unassigned), with the user as the actor in the audit log. That clean-up
   * happens only for pending ties (read first), and before the transaction that declines them, which
   * is the last write (the groups, up to what fits, in that same transaction): a decline interrupted
   * anywhere leaves the ties pending, and its retry finishes the clean-up and answers 200.
   */
  async answer(userId: string, orgId: string, answer: ConsentAnswer): Promise<AnsweredMembership> {
    const answered = await this.consents.answer(userId, orgId, answer, (kinds, room, now) =>
      this.declineCleanup(orgId, userId, kinds, room, now),
    );
    return {
      org_id: orgId,
      org_name: answered.organization.org_name,
      consent: answer,
      answered_at: answered.answered_at,
      roles: answered.kinds.map((kind) => ROLE_OF[kind]),
    };
  }

  /**
   * A declined coach role: each assigned member's assignment cleared now, one transaction each (as
   * coaches-remove; a retry finds only those left). A declined membership: the user's exit from every
   * group holding them, as the decline's transaction items (groups beyond `room` left now).
   */
  private async declineCleanup(
    orgId: string,
    userId: string,
    kinds: readonly TieKind[],
    room: number,
    now: string,
  ): Promise<readonly NamedItem<string>[]> {
    if (kinds.includes('coach')) {
      for (const memberId of await this.members.listAssignedTo(orgId, userId))
        await this.members.clearAssignment(orgId, memberId, userId, userId);
    }
    return kinds.includes('member') ? leaveGroupsFor(this.client, this.table, orgId, userId, userId, room, now) : [];
  }
}
