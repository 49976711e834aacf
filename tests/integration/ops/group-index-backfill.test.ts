import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { BACKFILL_ACTOR, groupsHolding, recordMemberGroup } from '../../../lib/repositories/group-membership';
import { keys } from '../../../lib/repositories/keys';
import { backfillGroupIndex } from '../../../ops/group-index-backfill';
import { createTestTable, groupItem, memberItem, putItems, testDocumentClient } from '../../support/dynamodb';

/**
 * ADR 0028 on a table written before member items named their groups: the backfill records each
 * live group on each live member it holds (and nothing else), so a removal and the leaderboard
 * projector find them; a user a group still holds after their membership ended (a removal made
 * while nothing named the groups) is taken out in the remover's name; a deleted group is left alone;
 * a second run changes nothing.
 */
let table: string;
const orgId = 'org_groupfill0001';
const head = 'usr_groupfillhead';
const remover = 'usr_groupfillcoach';

const member = (userId: string, extra: Record<string, unknown> = {}) =>
  memberItem(orgId, userId, { joined_at: '2026-01-01T00:00:00Z', last_actor_id: head, ...extra });
const group = (groupId: string, members: string[], extra: Record<string, unknown> = {}) =>
  groupItem(orgId, groupId, members, { last_actor_id: head, ...extra });
const stored = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

beforeAll(async () => {
  table = await createTestTable('group-backfill');
  await putItems(table, [
    member('usr_gfill00001'),
    member('usr_gfill00002', { status: 'inactive' }),
    member('usr_gfillgone01', { status: 'removed', removed_by: remover }),
    group('grp_gfillaaaa', ['usr_gfill00001', 'usr_gfill00002']),
    group('grp_gfillbbbb', ['usr_gfill00001', 'usr_gfillgone01', 'usr_gfillnever1']),
    group('grp_gfilldead', ['usr_gfill00001'], { status: 'removed' }),
  ]);
});

describe('backfill of the member items’ groups', () => {
  it('records each live group on its live members, takes leftovers out, and a second run finds nothing to do', async () => {
    const client = testDocumentClient();
    expect(await groupsHolding(client, table, orgId, 'usr_gfill00001')).toEqual([]);
    const before = await stored(keys.member(orgId, 'usr_gfill00001'));

    expect(await backfillGroupIndex(client, table)).toEqual({ recorded: 3, unchanged: 0, left: 2 });
    expect(await groupsHolding(client, table, orgId, 'usr_gfill00001')).toEqual(['grp_gfillaaaa', 'grp_gfillbbbb']);
    expect(await groupsHolding(client, table, orgId, 'usr_gfill00002')).toEqual(['grp_gfillaaaa']);
    const { group_ids, ...rest } = (await stored(keys.member(orgId, 'usr_gfill00001'))) ?? {};
    expect([...(group_ids as Set<string>)].sort()).toEqual(['grp_gfillaaaa', 'grp_gfillbbbb']);
    expect(rest).toEqual(before);
    // The removed member is taken out in the name of who removed them; the one with no member item
    // at all (an expired tombstone) in the backfill's.
    const leftovers = await stored(keys.group(orgId, 'grp_gfillbbbb'));
    expect([...(leftovers?.member_ids as Set<string>)]).toEqual(['usr_gfill00001']);
    expect((await stored(keys.member(orgId, 'usr_gfillgone01')))?.group_ids).toBeUndefined();
    expect([remover, BACKFILL_ACTOR]).toContain(leftovers?.last_actor_id);
    // The deleted group is neither recorded nor changed.
    expect((await stored(keys.group(orgId, 'grp_gfilldead')))?.last_actor_id).toBe(head);

    expect(await backfillGroupIndex(client, table)).toEqual({ recorded: 0, unchanged: 3, left: 0 });
  });

  it('leaves a pair the API changed between the Scan and the write', async () => {
    // As the Scan saw it: the group held the member. The API has since taken them out. (A table of
    // its own, so the other test's counts do not depend on which runs first.)
    const raced = await createTestTable('group-backfill-race');
    await putItems(raced, [member('usr_gfill00003'), group('grp_gfillcccc', ['usr_gfill00004'])]);
    const seen = { org_id: orgId, group_id: 'grp_gfillcccc', user_id: 'usr_gfill00003' };
    expect(await recordMemberGroup(testDocumentClient(), raced, seen)).toBe('unchanged');
    const item = await testDocumentClient().send(
      new GetCommand({ TableName: raced, Key: keys.member(orgId, 'usr_gfill00003'), ConsistentRead: true }),
    );
    expect(item.Item?.group_ids).toBeUndefined();
  });
});
