import type { Principal } from '../auth/principal';
import { ForbiddenError } from '../errors';
import type { EndpointContract } from './contract';

/**
 * An app key issued for one organization (`org_id`) acts only on that organization (api.md
 * "Credentials", issue 13; ADR 0004 amended). Checked once, by the pipeline, for every route, from the
 * raw path before any input is judged:
 * - a path with `{org_id}`: only the key's own organization; another is 403 `forbidden` (organizations
 *   are public, `GET /organizations/{org_id}`, so a 403 hides nothing a 404 would);
 * - any other path: 403, unless the contract declares `orgScopedAppKeys: 'allowed'` because the route
 *   acts on no organization's data (a user's public view, registering a user). Creating an
 *   organization is not allowed: it would act beyond the key's organization.
 * A new route is therefore closed to org-scoped keys until its contract says otherwise.
 * Unscoped keys, user tokens and public routes are not affected.
 */
export function checkAppKeyScope(
  contract: Pick<EndpointContract, 'path' | 'credentials' | 'orgScopedAppKeys'>,
  principal: Principal | undefined,
  pathParameters: Readonly<Record<string, string | undefined>> | null | undefined,
): void {
  // A public route is open to anyone, so to any key (deployed, no authorizer runs in front of it).
  if (contract.credentials.length === 0 || principal?.kind !== 'app' || principal.org_id === undefined) return;
  const allowed = contract.path.includes('{org_id}')
    ? pathParameters?.org_id === principal.org_id
    : contract.orgScopedAppKeys === 'allowed';
  if (!allowed) throw new ForbiddenError('this app key may act only on its own organization');
}
