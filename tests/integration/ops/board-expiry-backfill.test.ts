import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Board, boardEntryExpiry, boardEntryItem, boardKey, expireBoardEntry } from '../../../lib/repositories/board-repository';
import { keys } from '../../../lib/repositories/keys';
import { TABLE_DESIGN } from '../../../lib/repositories/table-design';
import { backfillBoardExpiry } from '../../../ops/board-expiry-backfill';
import { createTestTable, testDocumentClient } from '../../support/dynamodb';

/**
 * ADR 0030 on entries written before it: the backfill gives every week, month and year entry the
 * expiry its bucket gives (one in the past for an ended bucket, which the TTL sweep then deletes),
 * keeps all-time entries without one, touches nothing else, and a second run finds nothing to do.
 */
let table: string;
const athlete = 'usr_expirefill01';
const totals = { distance_m: 5_000, moving_time_s: 1_500, count: 1 };
const boards: Record<string, Board> = {
  endedWeek: { orgId: 'org_expirefill01', scope: {}, period: 'week', bucket: '2025-W10' },
  endedMonth: { orgId: 'org_expirefill01', scope: {}, period: 'month', bucket: '2025-03' },
  endedYear: { orgId: 'org_expirefill01', scope: {}, period: 'year', bucket: '2024' },
  groupWeek: { orgId: 'org_expirefill01', scope: { groupId: 'grp_expirefill1' }, period: 'week', bucket: '2025-W52' },
  allTime: { orgId: 'org_expirefill01', scope: {}, period: 'all', bucket: 'all' },
};
const ttl = TABLE_DESIGN.ttlAttribute;

/** An entry as the projector wrote it before ADR 0030: the same item, without `expires_at`. */
const legacyEntry = (board: Board, userId = athlete) => {
  const { [ttl]: _expiry, ...item } = boardEntryItem(userId, board, totals);
  return item;
};
const put = (item: Record<string, unknown>) => testDocumentClient().send(new PutCommand({ TableName: table, Item: item }));
const stored = async (board: Board, userId = athlete) =>
  (
    await testDocumentClient().send(
      new GetCommand({ TableName: table, Key: keys.boardEntry(userId, boardKey(board)), ConsistentRead: true }),
    )
  ).Item;

beforeAll(async () => {
  table = await createTestTable('board-expiry-backfill');
  for (const board of Object.values(boards)) await put(legacyEntry(board));
  // Written since ADR 0030: it has its expiry already, and the Scan's filter passes it by.
  await put(boardEntryItem('usr_expirefill02', boards.endedWeek as Board, totals));
  // Not a board entry: never touched.
  await put({ pk: 'USER#usr_expirefill01', sk: 'PROFILE', entity: 'profile', user_id: athlete });
});

describe('backfill of board entry expiries (ADR 0030)', () => {
  it('gives each week, month and year entry its bucket’s expiry, keeps all-time ones, and a second run does nothing', async () => {
    const before = await stored(boards.endedWeek as Board);
    expect(before?.[ttl]).toBeUndefined();

    expect(await backfillBoardExpiry(testDocumentClient(), table)).toEqual({ expiring: 4, unchanged: 0, all_time: 1 });
    for (const name of ['endedWeek', 'endedMonth', 'endedYear', 'groupWeek']) {
      const board = boards[name] as Board;
      const expiry = boardEntryExpiry(board);
      expect({ name, expiry: (await stored(board))?.[ttl] }).toEqual({ name, expiry });
    }
    // The figures ADR 0030 gives: a day after the bucket ends (2025-W10 ends Monday 2025-03-10).
    expect(boardEntryExpiry(boards.endedWeek as Board)).toBe(Date.UTC(2025, 2, 11) / 1000);
    expect(boardEntryExpiry(boards.endedYear as Board)).toBe(Date.UTC(2025, 0, 2) / 1000);
    expect((await stored(boards.allTime as Board))?.[ttl]).toBeUndefined();
    // Only the expiry changed: the ranks and totals the board indexes read are as they were.
    const { [ttl]: _set, ...rest } = (await stored(boards.endedWeek as Board)) ?? {};
    expect(rest).toEqual(before);
    expect(
      (await testDocumentClient().send(new GetCommand({ TableName: table, Key: { pk: 'USER#usr_expirefill01', sk: 'PROFILE' } }))).Item,
    ).toEqual({ pk: 'USER#usr_expirefill01', sk: 'PROFILE', entity: 'profile', user_id: athlete });

    expect(await backfillBoardExpiry(testDocumentClient(), table)).toEqual({ expiring: 0, unchanged: 0, all_time: 1 });
  });

  it('neither brings back an entry deleted since the Scan nor moves an expiry set since', async () => {
    const gone = { ...boards.endedMonth, orgId: 'org_expirefill02' } as Board;
    await put(legacyEntry(gone, 'usr_expirefill03'));
    // The athlete left the organization between the Scan and the write: the projector deleted the entry.
    await testDocumentClient().send(new DeleteCommand({ TableName: table, Key: keys.boardEntry('usr_expirefill03', boardKey(gone)) }));
    expect(await expireBoardEntry(testDocumentClient(), table, 'usr_expirefill03', boardKey(gone))).toBe('unchanged');
    expect(await stored(gone, 'usr_expirefill03')).toBeUndefined();

    const rewritten = { ...boards.endedYear, orgId: 'org_expirefill03' } as Board;
    await put(legacyEntry(rewritten, 'usr_expirefill04'));
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: keys.boardEntry('usr_expirefill04', boardKey(rewritten)),
        UpdateExpression: 'SET #ttl = :at',
        ExpressionAttributeNames: { '#ttl': ttl },
        ExpressionAttributeValues: { ':at': 4_000_000_000 },
      }),
    );
    expect(await expireBoardEntry(testDocumentClient(), table, 'usr_expirefill04', boardKey(rewritten))).toBe('unchanged');
    expect((await stored(rewritten, 'usr_expirefill04'))?.[ttl]).toBe(4_000_000_000);
  });
});
