import { nowIso } from '../clock';
import type { DocumentClient } from '../db/client';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../errors';
import type { ConsentAnswer } from '../policy/consent';
import { keys } from './keys';
import type { Organization } from './organization-repository';
import { readProfileBatch } from './profile-batch';
import { answerProfileTies, profileTieAttribute, profileTiesOf, tiesIn, type ProfileTies, type TieKind } from './profile-ties';
import { MEMBER_TOMBSTONE_REMOVES, tombstoneUpdate } from './tombstone';
import { MAX_TRANSACTION_ITEMS, type NamedItem, type TransactItem, transactNamed } from './transact';

type UpdateItem = NonNullable<TransactItem['Update']>;

/** A user's profile ties and, when asked, one organization, read together strongly consistently. */
export interface TiesAndOrganization {
  readonly ties: ProfileTies;
  readonly organization?: Organization;
}

export interface AnsweredTies {
  readonly organization: Organization;
  readonly answer: ConsentAnswer;
  readonly answered_at: string;
  /** The ties this answer moved (every pending one the user held in the organization). */
  readonly kinds: readonly TieKind[];
}

/**
 * What a failed item of the answer's transaction means, which is how its items are named: a tie
 * already answered (by a racing answer), or a coaches list (or a decline's clean-up item) that moved
 * under the update.
 */
type FailureMeaning = 'answered' | 'moved';

/**
 * What a decline of pending ties must undo beyond them (the user leaves the organization's groups,
 * a coach's members lose the assignment), run once the ties are read and known pending, BEFORE the
 * answer's transaction: writes it cannot fit there it makes itself (each idempotent), and it returns
 * the items that go into that transaction, `room` at most. A failed condition on one of them means
 * what it cleans changed meanwhile: read everything again and retry.
 */
export type DeclineCleanup = (kinds: readonly TieKind[], room: number, now: string) => Promise<readonly NamedItem<string>[]>;

/** Adds the answer to an item's update, conditioned on the tie still being pending there. */
function withAnswer(update: UpdateItem, answer: ConsentAnswer, now: string): UpdateItem {
  return {
    ...update,
    // Into the SET clause, which every base starts with: a tombstone's REMOVE clause may follow it.
    UpdateExpression: (update.UpdateExpression ?? '').replace(/^SET /, 'SET #consent = :answer, answered_at = :answered_at, '),
    ConditionExpression: `${update.ConditionExpression} AND #consent = :pending`,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#consent': 'consent' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':answer': answer, ':answered_at': now, ':pending': 'pending' },
  };
}

/** An update of a live tie item naming the user as its last actor (the audit stream's actor). */
function touchLiveItem(table: string, key: Record<string, string>, userId: string, now: string): UpdateItem {
  return {
    TableName: table,
    Key: key,
    UpdateExpression: 'SET updated_at = :now, last_actor_id = :actor',
    ConditionExpression: 'attribute_exists(pk) AND #status <> :removed',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':now': now, ':actor': userId, ':removed': 'removed' },
  };
}

/**
 * The user's answer to their ties in one organization (privacy.md §8), written where each tie lives
 * in ONE transaction: the tie item (member, coach or head-coach link, which the audit stream turns
 * into `member_accepted` … `coach_declined` with the user as actor), the organization item's mirror
 * (a coach's list entry, the head coach's consent) and the tie on the user's profile, which every
 * read relates people through. A decline ends a membership or coach role as a tombstone; the head
 * coach's designation cannot end (organizations never change head coach), so a decline is recorded
 * and opens nothing, like a pending one.
 */
export class ConsentRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** One consistent BatchGet of the user's profile and, when given, the organization item. */
  async read(userId: string, orgId?: string): Promise<TiesAndOrganization> {
    const { profiles, organization } = await readProfileBatch(this.client, this.table, [userId], { organizationId: orgId });
    return { ties: profiles.get(userId)?.ties ?? profileTiesOf(undefined), ...(organization ? { organization } : {}) };
  }

  /**
   * Answers every pending tie the user holds in the organization. 404 when they hold none there,
   * 409 when all are answered already (or another answer won a race). A coaches list changed
   * meanwhile (its entry moved) is re-read and the answer tried again.
   *
   * A decline's `cleanup` runs only when there are pending ties to decline, and before the
   * transaction that declines them, which is the last write: a decline interrupted anywhere leaves
   * the ties pending, and its retry finishes the clean-up and answers (200, not 409). Nothing is
   * cleaned for an answer that is refused (404, 409).
   */
  async answer(userId: string, orgId: string, answer: ConsentAnswer, cleanup?: DeclineCleanup): Promise<AnsweredTies> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { ties, organization } = await this.read(userId, orgId);
      const held = tiesIn(ties, orgId);
      if (!organization || held.length === 0) throw new NotFoundError('you hold no membership or coach role in this organization');
      const pending = held.filter(({ tie }) => tie.consent === 'pending');
      if (pending.length === 0) throw alreadyAnswered();
      const now = nowIso();
      const kinds = pending.map(({ kind }) => kind);
      const items: NamedItem<string>[] = this.itemsFor(kinds, userId, organization, answer, now);
      if (answer === 'declined' && cleanup) items.push(...(await cleanup(kinds, MAX_TRANSACTION_ITEMS - items.length, now)));
      const meaning = await this.write(items);
      if (meaning === undefined) return { organization, answer, answered_at: now, kinds };
      if (meaning === 'answered') throw alreadyAnswered();
    }
    // Contention, not a bug: the client may retry (503 with Retry-After).
    throw new ServiceUnavailableError();
  }

  /**
   * Runs the transaction; what its failed conditions mean, or undefined when it landed. Anything
   * but an answered tie (a coaches list or a cleaned item that moved) is re-read and retried.
   */
  private async write(items: readonly NamedItem<string>[]): Promise<FailureMeaning | undefined> {
    const failed = await transactNamed(this.client, items);
    if (failed.size === 0) return undefined;
    return failed.has('answered') ? 'answered' : 'moved';
  }

  /** Every item the answer writes: one per tie item, the organization's mirror, and ONE profile update. */
  private itemsFor(
    kinds: readonly TieKind[],
    userId: string,
    org: Organization,
    answer: ConsentAnswer,
    now: string,
  ): NamedItem<FailureMeaning>[] {
    const ends = (kind: TieKind): boolean => answer === 'declined' && kind !== 'head';
    const items: NamedItem<FailureMeaning>[] = [];
    for (const kind of kinds) {
      if (kind === 'head') {
        items.push({ item: { Update: withAnswer(this.headLinkUpdate(org.org_id, userId, now), answer, now) }, name: 'answered' });
        items.push({ item: { Update: this.headConsentUpdate(org.org_id, userId, answer) }, name: 'answered' });
        continue;
      }
      const key = kind === 'member' ? keys.member(org.org_id, userId) : keys.coach(org.org_id, userId);
      const removes = kind === 'member' ? MEMBER_TOMBSTONE_REMOVES : [];
      const base = ends(kind) ? tombstoneUpdate(this.table, key, userId, now, removes) : touchLiveItem(this.table, key, userId, now);
      items.push({ item: { Update: withAnswer(base, answer, now) }, name: 'answered' });
      if (kind === 'coach') items.push({ item: { Update: this.coachEntryUpdate(org, userId, answer) }, name: 'moved' });
    }
    const profileTies = kinds.map((kind) => ({ attribute: profileTieAttribute[kind](org.org_id), ends: ends(kind) }));
    items.push({ item: { Update: answerProfileTies(this.table, userId, profileTies, answer, now) }, name: 'answered' });
    return items;
  }

  /** The head-coach link (its stream record becomes `coach_accepted` / `coach_declined`). */
  private headLinkUpdate(orgId: string, userId: string, now: string): UpdateItem {
    const { pk, sk } = keys.headCoachLink(orgId, userId);
    return {
      TableName: this.table,
      Key: { pk, sk },
      UpdateExpression: 'SET updated_at = :now, last_actor_id = :actor',
      ConditionExpression: 'user_id = :actor',
      ExpressionAttributeValues: { ':now': now, ':actor': userId },
    };
  }

  /** The organization item's copy of the head coach's answer, read with the organization by every reader. */
  private headConsentUpdate(orgId: string, userId: string, answer: ConsentAnswer): UpdateItem {
    return {
      TableName: this.table,
      Key: keys.organization(orgId),
      UpdateExpression: 'SET head_coach_consent = :answer',
      ConditionExpression: 'head_coach_user_id = :user',
      ExpressionAttributeValues: { ':answer': answer, ':user': userId },
    };
  }

  /** The coach's entry in the organization's `coaches` list: its consent set, or the entry gone on a decline. */
  private coachEntryUpdate(org: Organization, userId: string, answer: ConsentAnswer): UpdateItem {
    const index = org.coaches.findIndex((c) => c.user_id === userId);
    // A coach tie without its list entry cannot be answered consistently: the condition fails, and the re-read decides.
    const at = Math.max(index, 0);
    return {
      TableName: this.table,
      Key: keys.organization(org.org_id),
      UpdateExpression: answer === 'declined' ? `REMOVE coaches[${at}]` : `SET coaches[${at}].consent = :answer`,
      ConditionExpression: `coaches[${at}].user_id = :user`,
      ExpressionAttributeValues: { ':user': userId, ...(answer === 'declined' ? {} : { ':answer': answer }) },
    };
  }
}

function alreadyAnswered(): ConflictError {
  return new ConflictError('you have already answered this organization', [{ path: 'consent', message: 'already answered' }]);
}
