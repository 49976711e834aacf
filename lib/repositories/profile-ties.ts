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
  /** `{status, head_coach_user_id, assigned_coach_id?}`: the membership facts the privacy engine uses. */
  member: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#member`,
  /** The coach's role (any role coaches). */
  coach: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#coach`,
  /** `true`: head coach (fixed at creation; organizations never change head coach). */
  head: (orgId: string) => `${PROFILE_TIE_PREFIX}${orgId}#head`,
} as const;

/** What a membership tie holds; the head coach rides along because it never changes. */
export interface MemberTie {
  readonly status: string;
  readonly head_coach_user_id: string;
  readonly assigned_coach_id?: string;
}

/** A user's ties as read back from their profile item. */
export interface ProfileTies {
  readonly memberships: ReadonlyMap<string, MemberTie>;
  readonly coachOf: ReadonlySet<string>;
  readonly headOf: ReadonlySet<string>;
}

const TIE_ATTRIBUTE = /^tie#([^#]+)#(member|coach|head)$/;

/** Parses the tie attributes of a profile item (pure; other attributes are ignored). */
export function profileTiesOf(profile: Readonly<Record<string, unknown>> | undefined): ProfileTies {
  const memberships = new Map<string, MemberTie>();
  const coachOf = new Set<string>();
  const headOf = new Set<string>();
  for (const [attribute, value] of Object.entries(profile ?? {})) {
    if (!attribute.startsWith(PROFILE_TIE_PREFIX)) continue;
    const match = TIE_ATTRIBUTE.exec(attribute);
    if (!match) continue;
    const [, orgId = '', kind] = match;
    if (kind === 'member' && value && typeof value === 'object') {
      const tie = value as Record<string, unknown>;
      if (typeof tie.status !== 'string' || typeof tie.head_coach_user_id !== 'string') continue;
      memberships.set(orgId, {
        status: tie.status,
        head_coach_user_id: tie.head_coach_user_id,
        ...(typeof tie.assigned_coach_id === 'string' ? { assigned_coach_id: tie.assigned_coach_id } : {}),
      });
    } else if (kind === 'coach' && value !== undefined && value !== null) coachOf.add(orgId);
    else if (kind === 'head' && value === true) headOf.add(orgId);
  }
  return { memberships, coachOf, headOf };
}

/** The attributes a profile item carries for one membership (seeds and fixtures write them directly). */
export function memberTieAttributes(orgId: string, tie: MemberTie): Record<string, MemberTie> {
  return { [profileTieAttribute.member(orgId)]: tie };
}

/** A transaction item: one tie attribute on an existing profile set to a value (never creates a profile). */
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

/** A transaction item: one tie attribute removed from an existing profile. */
export function removeProfileTie(table: string, userId: string, attribute: string) {
  return {
    TableName: table,
    Key: keys.user(userId),
    UpdateExpression: 'REMOVE #tie',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#tie': attribute },
  };
}

/**
 * A transaction item: the membership tie follows a status or assignment change (`null` clears the
 * assignment). Paths inside the tie, so two concurrent changes of different fields both land.
 */
export function changeMemberTie(table: string, orgId: string, userId: string, change: { readonly status?: string; readonly assigned_coach_id?: string | null }) {
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
