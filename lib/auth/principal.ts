/**
 * The caller as the authorizer resolved it (api.md "Credentials"). API Gateway carries authorizer
 * context as flat string values, so the principal crosses that boundary through these two functions.
 */
export type UserPrincipal = { readonly kind: 'user'; readonly user_id: string; readonly is_admin: boolean; readonly name?: string };
export type AppPrincipal = { readonly kind: 'app'; readonly app_id: string; readonly org_id?: string };
export type Principal = UserPrincipal | AppPrincipal;

export type AuthorizerContext = Record<string, string>;

/**
 * The context key of a user token's last valid second (epoch seconds: its `exp`, or its `iat` plus the
 * maximum age, whichever is first, plus the verifier's clock tolerance). API Gateway may serve a cached
 * Allow after that, so the pipeline refuses the request itself (lib/http/token-expiry.ts).
 */
export const VALID_UNTIL_CONTEXT_KEY = 'valid_until';

export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  if (principal.kind === 'user') {
    const context: AuthorizerContext = { kind: 'user', user_id: principal.user_id, is_admin: String(principal.is_admin) };
    if (principal.name !== undefined) context.name = principal.name;
    return context;
  }
  const context: AuthorizerContext = { kind: 'app', app_id: principal.app_id };
  if (principal.org_id !== undefined) context.org_id = principal.org_id;
  return context;
}

/** Returns undefined for a missing or unrecognised context (a public route, or a wiring mistake). */
export function fromAuthorizerContext(context: Record<string, unknown> | null | undefined): Principal | undefined {
  if (!context) return undefined;
  const str = (key: string): string | undefined => {
    const value = context[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const kind = str('kind');
  if (kind === 'user') {
    const userId = str('user_id');
    if (!userId) return undefined;
    const name = str('name');
    return { kind: 'user', user_id: userId, is_admin: context.is_admin === 'true' || context.is_admin === true, ...(name ? { name } : {}) };
  }
  if (kind === 'app') {
    const appId = str('app_id');
    if (!appId) return undefined;
    const orgId = str('org_id');
    return { kind: 'app', app_id: appId, ...(orgId ? { org_id: orgId } : {}) };
  }
  return undefined;
}
