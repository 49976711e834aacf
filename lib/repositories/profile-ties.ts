import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../db/client';
import { ConflictError } from '../errors';
import { consentOf, type Consent, type ConsentAnswer } from '../policy/consent';
import { keys } from './keys';

/**
 * A user's ties to organizations, mirrored on their profile item (`USER#<id> / PROFILE`) in the
 * same transaction as the member, coach or organization write that creates or ends the tie. Every
 * read that shapes athlete data already reads the athletes' profiles (settings) strongly
 * consistently, so the ties come with them: no index query, no second round of reads, and a
 * revocation applies on the next request exactly as the tie item itself would (docs/data-model.md).
 *
 * One top-level attribute per tie, never a nested map of all of them: a transaction can then set or
 * remove one tie without the map having to exist first.
 */
export const PROFILE_TIE_PREFIX = 'tie#';

export const profileTieAttribute = {
  /** A `MemberTie`: the membership facts the privacy engine uses. */
  member: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#member`,
  /** A `CoachTie`: the coach's role (any role coaches). */
  coach: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#coach`,
  /** A `HeadTie` (fixed at creation; organizations never change head coach). */
  head: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#head`,
} as const;

export type TieKind = keyof typeof profileTieAttribute;

/**
 * Who named the user, when, and the user's own answer (privacy.md §8). Every tie starts `pending`;
 * only the user it is about moves it, once.
 */
export interface TieInvitation {
  readonly consent: Consent;
  readonly invited_by: string;
  readonly invited_at: string;
  readonly answered_at?: string;
}

/** What a membership tie holds; the head coach rides along because it never changes. */
export interface MemberTie extends TieInvitation {
  readonly status: string;
  readonly head_coach_user_id: string;
  readonly assigned_coach_id?: string;
}

export interface CoachTie extends TieInvitation {
  readonly role: string;
}

export type HeadTie = TieInvitation;

/** A user's ties as read back from their profile item, by organization id. */
export interface ProfileTies {
  readonly memberships: ReadonlyMap<string, MemberTie>;
  readonly coaching: ReadonlyMap<string, CoachTie>;
  readonly heading: ReadonlyMap<string, HeadTie>;
}

/** A new, unanswered tie. */
export function pendingInvitation(invitedBy: string, invitedAt: string): TieInvitation {
  return { consent: 'pending', invited_by: invitedBy, invited_at: invitedAt };
}

/** An accepted invitation, as seeds and fixtures write a tie whose user has already answered. */
export function acceptedInvitation(invitedBy: string, at: string): TieInvitation {
  return { consent: 'accepted', invited_by: invitedBy, invited_at: at, answered_at: at };
}

const TIE_ATTRIBUTE = /^tie#([^#]+)#(member|coach|head)$/;

type Stored = Readonly<Record<string, unknown>>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The invitation part of a stored tie; a missing or unknown consent reads as `pending` (fail closed). */
function invitationOf(tie: Stored): TieInvitation {
  const answeredAt = text(tie.answered_at);
  return {
    consent: consentOf(tie.consent),
    invited_by: text(tie.invited_by) ?? '',
    invited_at: text(tie.invited_at) ?? '',
    ...(answeredAt ? { answered_at: answeredAt } : {}),
  };
}

function memberTieOf(tie: Stored): MemberTie | undefined {
  const status = text(tie.status);
  const head = text(tie.head_coach_user_id);
  if (status === undefined || head === undefined) return undefined;
  const assigned = text(tie.assigned_coach_id);
  return { ...invitationOf(tie), status, head_coach_user_id: head, ...(assigned ? { assigned_coach_id: assigned } : {}) };
}

/** Parses the tie attributes of a profile item (pure; other attributes are ignored). */
export function profileTiesOf(profile: Stored | undefined): ProfileTies {
  const memberships = new Map<string, MemberTie>();
  const coaching = new Map<string, CoachTie>();
  const heading = new Map<string, HeadTie>();
  for (const [attribute, value] of Object.entries(profile ?? {})) {
    if (!attribute.startsWith(PROFILE_TIE_PREFIX) || !value || typeof value !== 'object') continue;
    const match = TIE_ATTRIBUTE.exec(attribute);
    if (!match) continue;
    const [, orgId = '', kind] = match;
    const tie = value as Stored;
    if (kind === 'member') {
      const member = memberTieOf(tie);
      if (member) memberships.set(orgId, member);
    } else if (kind === 'coach') coaching.set(orgId, { ...invitationOf(tie), role: text(tie.role) ?? '' });
    else heading.set(orgId, invitationOf(tie));
  }
  return { memberships, coaching, heading };
}

/** The ties that name one organization, with their kinds and roster status (coaching ties are live while they exist). */
export function tiesIn(ties: ProfileTies, orgId: string): { kind: TieKind; tie: TieInvitation; status: string }[] {
  const found: { kind: TieKind; tie: TieInvitation; status: string }[] = [];
  const member = ties.memberships.get(orgId);
  const coach = ties.coaching.get(orgId);
  const head = ties.heading.get(orgId);
  if (member) found.push({ kind: 'member', tie: member, status: member.status });
  if (coach) found.push({ kind: 'coach', tie: coach, status: 'active' });
  if (head) found.push({ kind: 'head', tie: head, status: 'active' });
  return found;
}

/** The attributes a profile item carries for one membership (seeds and fixtures write them directly). */
export function memberTieAttributes(orgId: string, tie: MemberTie): Record<string, MemberTie> {
  return { [profileTieAttribute.member(orgId)]: tie };
}

/**
 * The names of the profile's pending tie attributes, a string set (ADR 0032). An invitation adds its
 * tie's name; an answer, or the tie's end, deletes it. Set operations need no read first and repeat
 * harmlessly, so the set's size is the number of invitations the user has not answered, and an
 * invitation past PENDING_TIE_LIMIT is refused. Under `tie#`, so it is never profile data (toUser
 * strips the prefix) and never a tie (it matches no tie attribute's name).
 */
export const PENDING_TIES_ATTRIBUTE = 'tie#pending';

/**
 * The most invitations one user can hold unanswered (ADR 0032): each is a tie on their profile, so
 * without a bound anyone able to name them could grow their profile, which every strong read pays for,
 * until their own writes fail at 400 KB.
 */
export const PENDING_TIE_LIMIT = 100;

/**
 * A transaction item: an invitation, the pending tie set on an existing profile (never creates one)
 * and counted among the user's unanswered invitations, refused when they already hold the limit.
 */
export function inviteProfileTie<Tie extends TieInvitation>(table: string, userId: string, attribute: string, invitation: Tie) {
  return pendingTieUpdate(table, userId, attribute, {
    expression: 'SET #tie = :tie ADD #pending :names',
    condition: 'attribute_exists(pk) AND (attribute_not_exists(#pending) OR size(#pending) < :limit)',
    values: { ':tie': invitation, ':limit': PENDING_TIE_LIMIT },
  });
}

/** An update of one tie attribute and of its name in the unanswered set (`#tie`, `#pending`, `:names`). */
function pendingTieUpdate(
  table: string,
  userId: string,
  attribute: string,
  update: { readonly expression: string; readonly condition: string; readonly values: Record<string, unknown> },
) {
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: update.expression,
    ConditionExpression: update.condition,
    ExpressionAttributeNames: { '#tie': attribute, '#pending': PENDING_TIES_ATTRIBUTE },
    ExpressionAttributeValues: { ...update.values, ':names': new Set([attribute]) },
  };
}

/** A tie already answered set on an existing profile, as seeds and fixtures write one: not an invitation, so not counted. */
export function setProfileTie(table: string, userId: string, attribute: string, value: unknown) {
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: 'SET #tie = :tie',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#tie': attribute },
    ExpressionAttributeValues: { ':tie': value },
  };
}

/**
 * The error to answer when an invitation's profile write failed: the user holds the limit of
 * unanswered invitations (a 409 naming `field`), or else does not exist (`missing`, the caller's own
 * answer for an unknown user). Read strongly, after the transaction was refused.
 */
export async function refusedInvitation(
  client: DocumentClient,
  table: string,
  userId: string,
  field: string,
  missing: Error,
): Promise<Error> {
  const out = await client.send(
    new GetCommand({
      TableName: table,
      Key: keys.user(userId),
      ConsistentRead: true,
      ProjectionExpression: 'pk, #pending',
      ExpressionAttributeNames: { '#pending': PENDING_TIES_ATTRIBUTE },
    }),
  );
  const pending = out.Item?.[PENDING_TIES_ATTRIBUTE];
  if (!out.Item || !(pending instanceof Set) || pending.size < PENDING_TIE_LIMIT) return missing;
  return new ConflictError(`the user has ${PENDING_TIE_LIMIT} invitations they have not answered yet`, [
    { path: field, message: `holds ${PENDING_TIE_LIMIT} unanswered invitations` },
  ]);
}

/**
 * A transaction item: the user's answer to their pending ties on one profile (one item per profile:
 * a transaction may touch an item once). Each tie is answered in place, or removed when the answer
 * ends it (a declined membership or coach role), conditioned on every one of them still being
 * pending, so a second answer, or a tie ended meanwhile, fails the transaction.
 */
export function answerProfileTies(
  table: string,
  userId: string,
  ties: readonly { readonly attribute: string; readonly ends: boolean }[],
  answer: ConsentAnswer,
  now: string,
) {
  const names: Record<string, string> = { '#consent': 'consent', '#answered': 'answered_at' };
  const set: string[] = [];
  const remove: string[] = [];
  const conditions: string[] = [];
  ties.forEach(({ attribute, ends }, index) => {
    const name = `#t${index}`;
    names[name] = attribute;
    conditions.push(`${name}.#consent = :pending`);
    if (ends) remove.push(name);
    else set.push(`${name}.#consent = :answer`, `${name}.#answered = :now`);
  });
  const values: Record<string, unknown> = {
    ':pending': 'pending',
    ':answered': new Set(ties.map(({ attribute }) => attribute)),
    ...(set.length > 0 ? { ':answer': answer, ':now': now } : {}),
  };
  if (set.length === 0) delete names['#answered'];
  names['#pendingTies'] = PENDING_TIES_ATTRIBUTE;
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: [
      set.length > 0 ? `SET ${set.join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
      // No longer unanswered (ADR 0032).
      'DELETE #pendingTies :answered',
    ]
      .filter(Boolean)
      .join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A transaction item: one tie attribute removed from an existing profile, and from its unanswered ones if it was (ADR 0032). */
export function removeProfileTie(table: string, userId: string, attribute: string) {
  return pendingTieUpdate(table, userId, attribute, {
    expression: 'REMOVE #tie DELETE #pending :names',
    condition: 'attribute_exists(pk)',
    values: {},
  });
}

/**
 * A transaction item: the membership tie follows a status or assignment change (`null` clears the
 * assignment). Paths inside the tie, so two concurrent changes of different fields both land.
 */
export function changeMemberTie(
  table: string,
  orgId: string,
  userId: string,
  change: { readonly status?: string; readonly assigned_coach_id?: string | null },
) {
  const names: Record<string, string> = { '#tie': profileTieAttribute.member(orgId) };
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  if (change.status !== undefined) {
    names['#status'] = 'status';
    values[':status'] = change.status;
    set.push('#tie.#status = :status');
  }
  if (change.assigned_coach_id !== undefined) {
    names['#assigned'] = 'assigned_coach_id';
    if (change.assigned_coach_id === null) remove.push('#tie.#assigned');
    else {
      values[':assigned'] = change.assigned_coach_id;
      set.push('#tie.#assigned = :assigned');
    }
  }
  const expression = `${set.length > 0 ? `SET ${set.join(', ')}` : ''}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`.trim();
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: expression,
    ConditionExpression: 'attribute_exists(#tie)',
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
