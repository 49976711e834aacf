import { AUDIT_SORT_KEY_PREFIX } from '../../../lib/repositories/table-design';
import { keys, ROSTER_AND_ORGANIZATION } from '../../../lib/repositories/keys';

/**
 * The leaderboard reads its roster and the organization item in one key range
 * (MemberRepository.activeRosterAndOrganization): that range must hold every member item and the
 * organization item, and no other item of the organization's partition.
 */
describe('the roster-and-organization key range', () => {
  const inRange = (sk: string) => sk >= ROSTER_AND_ORGANIZATION.first && sk <= ROSTER_AND_ORGANIZATION.last;
  const ids = ['usr_0', 'usr_zzzzzzzzzzzz', 'usr_AbC123', 'grp_zzzz', 'grp_0'];

  it('holds every member item and the organization item', () => {
    for (const id of ids) expect(inRange(keys.member('org_1', id).sk)).toBe(true);
    expect(inRange(keys.organization('org_1').sk)).toBe(true);
  });

  it('holds no coach, group, head-coach link or audit item', () => {
    const others = [
      ...ids.map((id) => keys.coach('org_1', id).sk),
      ...ids.map((id) => keys.group('org_1', id).sk),
      keys.headCoachLink('org_1', 'usr_1').sk,
      `${AUDIT_SORT_KEY_PREFIX}2026-12-01T00:00:00.000Z#00000000000000000001#evt`,
    ];
    for (const sk of others) expect(inRange(sk)).toBe(false);
  });

  it('every member item shares the organization partition', () => {
    expect(keys.member('org_1', 'usr_1').pk).toBe(keys.organization('org_1').pk);
  });
});
