import { boardRankKey } from '../../../lib/repositories/board-repository';
import fc from 'fast-check';
import { boardPeriodOf, keys } from '../../../lib/repositories/keys';

/**
 * The leaderboard read model's keys (ADR 0013): an athlete's entries are one prefix of their
 * partition, per organization and per group, and a board's rank keys sort best first as strings.
 */
describe('board keys', () => {
  const org = keys.board('org_1', {}, 'week', '2026-W12');
  const group = keys.board('org_1', { groupId: 'grp_1' }, 'week', '2026-W12');

  it('an athlete’s entries: every board, one organization’s, one group’s — each a prefix of the entry sort keys', () => {
    const all = keys.boardEntriesOf('usr_1');
    const inOrg = keys.boardEntriesOf('usr_1', 'org_1');
    const inGroup = keys.boardEntriesOf('usr_1', 'org_1', { groupId: 'grp_1' });
    for (const board of [org, group]) {
      expect(keys.boardEntry('usr_1', board)).toEqual({ pk: all.pk, sk: board });
      expect(board.startsWith(all.skPrefix) && board.startsWith(inOrg.skPrefix)).toBe(true);
    }
    expect(group.startsWith(inGroup.skPrefix)).toBe(true);
    expect(org.startsWith(inGroup.skPrefix)).toBe(false);
    // Another organization whose id extends this one's is not inside its prefix.
    expect(keys.board('org_10', {}, 'week', '2026-W12').startsWith(inOrg.skPrefix)).toBe(false);
  });

  it('reads a board key back to its period and bucket, for any organization, group, period and bucket', () => {
    const id = fc.stringMatching(/^[a-z0-9_]{1,40}$/);
    const bucket = fc.oneof(fc.constant('all'), fc.stringMatching(/^[0-9]{4}(-W[0-9]{2}|-[0-9]{2})?$/));
    fc.assert(
      fc.property(
        id,
        fc.option(id, { nil: undefined }),
        fc.constantFrom('week', 'month', 'year', 'all'),
        bucket,
        (orgId, groupId, period, b) => {
          expect(boardPeriodOf(keys.board(orgId, { groupId }, period, b))).toEqual({ period, bucket: b });
        },
      ),
    );
    expect(boardPeriodOf(keys.boardEntriesOf('usr_1', 'org_1').skPrefix)).toBeUndefined();
    expect(boardPeriodOf('ACTIVITY#2026#act_1')).toBeUndefined();
  });

  it('ranks best first in ascending string order: higher distance, time and count, lower pace; ties by user id', () => {
    const totals = (distance_m: number, moving_time_s: number, count = 1) => ({ distance_m, moving_time_s, count });
    const sorted = (metric: 'distance' | 'time' | 'count' | 'pace', list: [string, ReturnType<typeof totals>][]) =>
      list
        .map(([user, t]) => [boardRankKey(metric, t, user) ?? '', user] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, user]) => user);
    const athletes: [string, ReturnType<typeof totals>][] = [
      ['usr_b', totals(5_000, 1_500, 2)],
      ['usr_a', totals(5_000, 1_500, 2)],
      ['usr_c', totals(10_000.5, 2_400, 1)],
      ['usr_d', totals(999.999, 600, 3)],
    ];
    expect(sorted('distance', athletes)).toEqual(['usr_c', 'usr_a', 'usr_b', 'usr_d']);
    expect(sorted('time', athletes)).toEqual(['usr_c', 'usr_a', 'usr_b', 'usr_d']);
    expect(sorted('count', athletes)).toEqual(['usr_d', 'usr_a', 'usr_b', 'usr_c']);
    // Pace (s/km): c 240, a and b 300, d 600.
    expect(sorted('pace', athletes)).toEqual(['usr_c', 'usr_a', 'usr_b', 'usr_d']);
    expect(boardRankKey('pace', totals(0, 600), 'usr_e')).toBeUndefined();
    expect(boardRankKey('distance', totals(1, 1), 'usr_e')).toMatch(/^\d{15}#usr_e$/);
  });
});
