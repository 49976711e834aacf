import type { Principal } from '../auth/principal';

/**
 * Who may do what on an organization, written once (api.md, "who" columns). Every organization
 * handler asks `authorizeOrganizationAction`; the table test in tests/unit/organizations walks it.
 */
export type OrganizationRole = 'anonymous' | 'app' | 'outsider' | 'member' | 'coach' | 'head_coach' | 'admin';

export type OrganizationAction =
  | 'organization:read'
  | 'organization:update'
  | 'member:add'
  | 'member:remove'
  | 'member:remove_self'
  | 'member:update'
  | 'member:list'
  | 'member:view'
  | 'coach:add'
  | 'coach:remove'
  | 'group:create'
  | 'group:list'
  | 'group:read'
  | 'group:update'
  | 'group:delete'
  | 'group_member:add'
  | 'group_member:remove'
  | 'leaderboard:read'
  | 'feed:read'
  | 'audit:list';

const COACHES: readonly OrganizationRole[] = ['coach', 'head_coach', 'admin'];
const HEAD: readonly OrganizationRole[] = ['head_coach', 'admin'];
const INSIDERS: readonly OrganizationRole[] = ['member', 'coach', 'head_coach', 'admin'];

export const PERMISSIONS: Readonly<Record<OrganizationAction, readonly OrganizationRole[]>> = {
  'organization:read': ['anonymous', 'app', 'outsider', 'member', 'coach', 'head_coach', 'admin'],
  'organization:update': HEAD,
  'member:add': COACHES,
  'member:remove': COACHES,
  // A member may always leave; checked against the path's user id by the caller.
  'member:remove_self': ['member', 'coach', 'head_coach', 'admin'],
  'member:update': COACHES,
  'member:list': COACHES,
  'member:view': COACHES,
  'coach:add': HEAD,
  'coach:remove': HEAD,
  'group:create': COACHES,
  'group:list': INSIDERS,
  'group:read': COACHES,
  'group:update': COACHES,
  'group:delete': COACHES,
  'group_member:add': COACHES,
  'group_member:remove': COACHES,
  'leaderboard:read': INSIDERS,
  'feed:read': INSIDERS,
  'audit:list': COACHES,
};

/** Where the caller stands in one organization, loaded before deciding an action (the privacy engine relates viewers to athletes with its own facts). */
export interface CallerStanding {
  readonly head_coach_user_id: string;
  readonly coach_user_ids: readonly string[];
  /** Whether the caller is an active member of the roster. */
  readonly caller_is_active_member: boolean;
}

/** The most privileged role the principal holds in this organization. */
export function organizationRole(principal: Principal | undefined, facts: CallerStanding): OrganizationRole {
  if (!principal) return 'anonymous';
  if (principal.kind === 'app') return 'app';
  if (principal.is_admin) return 'admin';
  if (principal.user_id === facts.head_coach_user_id) return 'head_coach';
  if (facts.coach_user_ids.includes(principal.user_id)) return 'coach';
  if (facts.caller_is_active_member) return 'member';
  return 'outsider';
}

export interface PermissionDecision {
  readonly allowed: boolean;
  readonly role: OrganizationRole;
  readonly action: OrganizationAction;
}

export function authorizeOrganizationAction(
  principal: Principal | undefined,
  facts: CallerStanding,
  action: OrganizationAction,
): PermissionDecision {
  const role = organizationRole(principal, facts);
  return { allowed: PERMISSIONS[action].includes(role), role, action };
}
