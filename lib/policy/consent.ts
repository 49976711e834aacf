/**
 * Consent (spec/privacy.md §8): every tie — membership, coach role, head coach — is held by the user
 * it is about, and relates nobody to anybody until that user has accepted it. Naming someone is the
 * organization's act; opening their data is theirs.
 */
export const CONSENTS = ['pending', 'accepted', 'declined'] as const;
export type Consent = (typeof CONSENTS)[number];

/** The answers a user may give to a pending tie. */
export const CONSENT_ANSWERS = ['accepted', 'declined'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];

/** Anything that is not a stored `accepted` counts as not given: unknown or missing data fails closed. */
export function consentOf(value: unknown): Consent {
  return value === 'accepted' || value === 'declined' ? value : 'pending';
}

export const isAccepted = (consent: Consent | undefined): boolean => consent === 'accepted';
