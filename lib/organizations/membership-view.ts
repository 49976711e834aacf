import type { Consent } from '../policy';
import type { Member } from '../repositories/member-repository';

/** Membership data: the organization's own, shown to those allowed to see the roster (privacy.md §5). */
export interface MembershipView {
  readonly user_id: string;
  /** The coach's nickname, else the athlete's own name as stored when they joined. */
  readonly display_name?: string;
  readonly member_level?: string;
  readonly labels: readonly string[];
  readonly status: string;
  readonly consent: Consent;
  readonly assigned_coach_id?: string;
  readonly joined_at: string;
}

export function membershipView(member: Member): MembershipView {
  const displayName = member.display_name ?? member.athlete_name;
  return {
    user_id: member.user_id,
    ...(displayName !== undefined ? { display_name: displayName } : {}),
    ...(member.member_level !== undefined ? { member_level: member.member_level } : {}),
    labels: member.labels,
    status: member.status,
    consent: member.consent,
    ...(member.assigned_coach_id !== undefined ? { assigned_coach_id: member.assigned_coach_id } : {}),
    joined_at: member.joined_at,
  };
}
