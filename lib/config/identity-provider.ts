/**
 * The identity-provider rules a user token must meet beyond its signature, issuer and lifetime
 * (ADR 0021). Pure: the authorizer reads them from its environment at load and the CDK app from its
 * context at synth, so a configuration that would accept any token of the issuer fails both.
 */

/** Who may be a platform admin: a claim that is `true`, or a group named in an array claim. */
export type AdminRule =
  | { readonly kind: 'boolean'; readonly claim: string }
  | { readonly kind: 'group'; readonly claim: string; readonly group: string };

export interface AudienceRules {
  /** `aud` values accepted (ID tokens, Auth0/Okta/Firebase access tokens); any one matching is enough. */
  readonly audiences: readonly string[];
  /** `client_id` values accepted on tokens without a matching `aud`, with `token_use: "access"` (Cognito access tokens). */
  readonly clientIds: readonly string[];
}

export interface IdentityProviderInput {
  readonly audiences?: string | undefined;
  readonly clientIds?: string | undefined;
  readonly adminClaim: string;
  readonly adminGroup?: string | undefined;
}

export interface IdentityProviderRules extends AudienceRules {
  readonly admin: AdminRule;
}

/** A comma-separated setting as a list: blanks around entries and empty entries are dropped. */
export function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * Throws, naming the setting, when the rules would accept every token the issuer signs (neither an
 * audience nor a client id: an issuer serves many apps, and a token for another of them must not
 * work here) or when the admin rule is blank. `names` lets each caller speak its own vocabulary
 * (environment variables or cdk context keys).
 */
export function parseIdentityProviderRules(
  input: IdentityProviderInput,
  names: { audiences: string; clientIds: string; adminClaim: string; adminGroup: string },
): IdentityProviderRules {
  const audiences = splitList(input.audiences);
  const clientIds = splitList(input.clientIds);
  if (audiences.length === 0 && clientIds.length === 0)
    throw new Error(
      `identity provider: set ${names.audiences} (accepted token audiences) or ${names.clientIds} (accepted Cognito access-token client ids), comma-separated; with neither, any token of the issuer would be accepted`,
    );
  const claim = input.adminClaim.trim();
  if (claim === '') throw new Error(`identity provider: ${names.adminClaim} must name a claim`);
  const group = input.adminGroup?.trim();
  const admin: AdminRule = group ? { kind: 'group', claim, group } : { kind: 'boolean', claim };
  return { audiences, clientIds, admin };
}

/**
 * Whether a verified payload is meant for this API: an accepted `aud` (string or array), or a
 * Cognito access token (`token_use: "access"`, no audience of its own) for an accepted `client_id`.
 */
export function matchesAudience(payload: Readonly<Record<string, unknown>>, rules: AudienceRules): boolean {
  const aud = payload.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (audiences.some((a) => rules.audiences.includes(a))) return true;
  const clientId = payload.client_id;
  return payload.token_use === 'access' && typeof clientId === 'string' && rules.clientIds.includes(clientId);
}

export function isAdmin(payload: Readonly<Record<string, unknown>>, rule: AdminRule): boolean {
  const value = payload[rule.claim];
  if (rule.kind === 'boolean') return value === true;
  return Array.isArray(value) && value.includes(rule.group);
}
