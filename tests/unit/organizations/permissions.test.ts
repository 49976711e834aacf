import { authorizeOrganizationAction, PERMISSIONS, type OrganizationAction, type OrganizationRole } from '@astral/lib/organizations';
import type { Principal } from '@astral/lib/http';

const facts = { head_coach_user_id: 'usr_head', coach_user_ids: ['usr_coach'], caller_is_active_member: false };

const principals: Record<OrganizationRole, [Principal | undefined, boolean]> = {
  anonymous: [undefined, false],
  app: [{ kind: 'app', app_id: 'app_1' } as Principal, false],
  outsider: [{ kind: 'user', user_id: 'usr_out', is_admin: false }, false],
  member: [{ kind: 'user', user_id: 'usr_member', is_admin: false }, true],
  coach: [{ kind: 'user', user_id: 'usr_coach', is_admin: false }, false],
  head_coach: [{ kind: 'user', user_id: 'usr_head', is_admin: false }, false],
  admin: [{ kind: 'user', user_id: 'usr_admin', is_admin: true }, false],
};

// The expected matrix, written independently of PERMISSIONS: C = coaches (head, coach, admin), H = head coach or admin, I = insiders.
const C = ['coach', 'head_coach', 'admin'];
const H = ['head_coach', 'admin'];
const I = ['member', 'coach', 'head_coach', 'admin'];
const EXPECTED: Record<OrganizationAction, readonly string[]> = {
  'organization:read': ['anonymous', 'app', 'outsider', ...I],
  'organization:update': H,
  'member:add': C,
  'member:remove': C,
  'member:remove_self': I,
  'member:update': C,
  'member:list': C,
  'member:view': C,
  'coach:add': H,
  'coach:remove': H,
  'group:create': C,
  'group:list': I,
  'group:read': C,
  'group:update': C,
  'group:delete': C,
  'group_member:add': C,
  'group_member:remove': C,
  'leaderboard:read': I,
  'feed:read': I,
  'audit:list': C,
};

const cases = (Object.keys(EXPECTED) as OrganizationAction[]).flatMap((action) =>
  (Object.keys(principals) as OrganizationRole[]).map((role) => [action, role, EXPECTED[action].includes(role)] as const),
);

describe('the organization permission matrix', () => {
  it('covers every action of PERMISSIONS', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)('%s as %s → allowed %s', (action, role, allowed) => {
    const [principal, isMember] = principals[role];
    const decision = authorizeOrganizationAction(principal, { ...facts, caller_is_active_member: isMember }, action);
    expect(decision.role).toBe(role);
    expect(decision.allowed).toBe(allowed);
  });

  it('a platform admin is admin even when also the head coach; a coach who is also a member is a coach', () => {
    expect(authorizeOrganizationAction({ kind: 'user', user_id: 'usr_head', is_admin: true }, facts, 'coach:add').role).toBe('admin');
    expect(
      authorizeOrganizationAction(
        { kind: 'user', user_id: 'usr_coach', is_admin: false },
        { ...facts, caller_is_active_member: true },
        'member:list',
      ).role,
    ).toBe('coach');
  });
});
