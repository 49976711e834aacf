import { consentOf, type Consent, type MembershipRecord, type OrganizationRecord } from '../policy';

/** An organization already loaded (the authorization read), as the facts need it. */
export interface LoadedOrganization {
  readonly org_id: string;
  readonly head_coach_user_id: string;
  readonly head_coach_consent?: Consent;
  readonly coaches: readonly { readonly user_id: string; readonly consent?: Consent }[];
}

export const membershipRecord = (m: {
  org_id?: unknown;
  user_id?: unknown;
  status?: unknown;
  consent?: unknown;
  assigned_coach_id?: unknown;
}): MembershipRecord => ({
  org_id: String(m.org_id),
  user_id: String(m.user_id),
  status: String(m.status),
  consent: consentOf(m.consent),
  assigned_coach_id: typeof m.assigned_coach_id === 'string' ? m.assigned_coach_id : null,
});

/** An organization item's coaching ties; a missing consent reads as `pending` (fail closed). */
export const organizationRecord = (o: LoadedOrganization): OrganizationRecord => ({
  org_id: o.org_id,
  head_coach_user_id: o.head_coach_user_id,
  head_coach_consent: consentOf(o.head_coach_consent),
  coaches: o.coaches.map((c) => ({ user_id: c.user_id, consent: consentOf(c.consent) })),
});
