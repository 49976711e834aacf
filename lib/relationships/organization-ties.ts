import type { MembershipRecord, OrganizationRecord } from '../policy';

/** An organization already loaded (the authorization read), as the facts need it. */
export interface LoadedOrganization {
  readonly org_id: string;
  readonly head_coach_user_id: string;
  readonly coaches: readonly { readonly user_id: string }[];
}

export const membershipRecord = (m: { org_id?: unknown; user_id?: unknown; status?: unknown; assigned_coach_id?: unknown }): MembershipRecord => ({
  org_id: String(m.org_id),
  user_id: String(m.user_id),
  status: String(m.status),
  assigned_coach_id: typeof m.assigned_coach_id === 'string' ? m.assigned_coach_id : null,
});

export const organizationRecord = (o: LoadedOrganization): OrganizationRecord => ({ org_id: o.org_id, head_coach_user_id: o.head_coach_user_id, coaches: o.coaches });
