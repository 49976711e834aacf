import { VALID_UNTIL_CONTEXT_KEY, type Principal } from '../auth/principal';
import { now } from '../clock';
import { TokenExpiredError } from '../errors';

/**
 * API Gateway caches the `Authorization` authorizer's Allow for minutes (ADR 0014), longer than a token
 * may have left: the authorizer states the token's last valid second in the context, and every request
 * is refused here once it has passed, cache hit or not, as the authorizer would refuse it.
 */
export function checkTokenExpiry(principal: Principal | undefined, context: Record<string, unknown> | null | undefined): void {
  if (principal?.kind !== 'user') return;
  const value = context?.[VALID_UNTIL_CONTEXT_KEY];
  // Absent: an authorizer that states no expiry (a fixture); nothing to hold the request to.
  if (value === undefined || value === null || value === '') return;
  const validUntil = Number(value);
  if (!Number.isFinite(validUntil) || now().getTime() >= validUntil * 1000) throw new TokenExpiredError();
}
