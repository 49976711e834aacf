import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type BoardMetric, boardValue, bucketEnd, type Period, type PeriodTotals } from '../activities/period-totals';
import type { DocumentClient } from '../db/client';
import { batchWriteItems } from './batch-write';
import { isConditionalCheckFailure } from './dynamo-errors';
import { type BoardScope, boardPeriodOf, keys } from './keys';
import { startFrom } from './page-start';
import { BOARD_ENTRY_ENTITY, BOARD_INDEXES, BOARD_PARTITION_ATTRIBUTE, BOARD_RANK_ATTRIBUTES, TABLE_DESIGN } from './table-design';

/**
 * Rank keys are fixed-width decimal strings, so the board indexes (string sort keys) order them as
 * numbers: 15 digits stay within Number.MAX_SAFE_INTEGER. Distance and time are kept to the
 * millimetre and millisecond (inputs have at most 3 decimals), pace to the tenth shown.
 */
const RANK_DIGITS = 15;
const RANK_MAX = 10 ** RANK_DIGITS - 1;
const SCALE: Readonly<Record<BoardMetric, number>> = { distance: 1000, time: 1000, count: 1, pace: 10 };

/**
 * The rank key of one metric: the value (inverted where higher is better, so every board is read in
 * ascending order), then the user id, which breaks ties the same way on every page.
 */
export function boardRankKey(metric: BoardMetric, totals: PeriodTotals, userId: string): string | undefined {
  const value = boardValue(totals, metric);
  if (value === undefined) return undefined;
  const scaled = Math.min(RANK_MAX, Math.max(0, Math.round(value * SCALE[metric])));
  const ordered = metric === 'pace' ? scaled : RANK_MAX - scaled;
  return `${String(ordered).padStart(RANK_DIGITS, '0')}#${userId}`;
}

/** One leaderboard: an organization's roster or one of its groups (scope), in one period bucket. */
export interface Board {
  readonly orgId: string;
  readonly scope: BoardScope;
  readonly period: Period;
  readonly bucket: string;
}

/** The board's key (`board_pk`, and the entries' sort key): ./keys.ts `board`. */
export const boardKey = (board: Board): string => keys.board(board.orgId, board.scope, board.period, board.bucket);

/**
 * How long an entry outlives its bucket (ADR 0030). A board is read only at its current bucket, so an
 * ended bucket's entries are never read again; the day covers a skew between the function's clock
 * and DynamoDB's TTL sweep, and leaves yesterday's final standings in the table for an operator.
 */
export const BOARD_ENTRY_GRACE_SECONDS = 24 * 60 * 60;

/** `expires_at` of an entry on the board (epoch seconds, the table's TTL); none on an all-time board. */
export function boardEntryExpiry(board: Board): number | undefined {
  return expiryOf(board.period, board.bucket);
}

function expiryOf(period: Period, bucket: string): number | undefined {
  const end = bucketEnd(period, bucket)?.getTime();
  // A bucket that is no date (none is written, but an entry must never fail its put over its expiry) keeps its entry.
  return end === undefined || !Number.isFinite(end) ? undefined : Math.floor(end / 1000) + BOARD_ENTRY_GRACE_SECONDS;
}

/** What giving a stored entry its expiry did: set, nothing to do (gone, or set meanwhile), or an all-time entry, which keeps none. */
export type BoardEntryExpiryOutcome = 'expiring' | 'unchanged' | 'all_time';

/**
 * Gives an entry written before ADR 0030 the `expires_at` its board's bucket gives (the backfill):
 * one conditional update that never creates an entry (one deleted meanwhile stays deleted) and never
 * moves an expiry already set, so it races the projector safely and a second pass changes nothing.
 * An entry of an ended bucket gets an expiry in the past, which the TTL sweep then deletes.
 */
export async function expireBoardEntry(
  client: DocumentClient,
  table: string,
  userId: string,
  board: string,
): Promise<BoardEntryExpiryOutcome> {
  const parsed = boardPeriodOf(board);
  const expiresAt = parsed && expiryOf(parsed.period, parsed.bucket);
  if (expiresAt === undefined) return 'all_time';
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.boardEntry(userId, board),
        UpdateExpression: 'SET #expires = :expires',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#expires)',
        ExpressionAttributeNames: { '#expires': TABLE_DESIGN.ttlAttribute },
        ExpressionAttributeValues: { ':expires': expiresAt },
      }),
    );
    return 'expiring';
  } catch (error) {
    if (isConditionalCheckFailure(error)) return 'unchanged';
    throw error;
  }
}

/** The item of an athlete's entry on one board (the projector puts it; the bench seeds it). */
export function boardEntryItem(userId: string, board: Board, totals: PeriodTotals): Record<string, unknown> {
  const ranks: Record<string, string> = {};
  for (const metric of Object.keys(BOARD_RANK_ATTRIBUTES) as BoardMetric[]) {
    const rank = boardRankKey(metric, totals, userId);
    if (rank !== undefined) ranks[BOARD_RANK_ATTRIBUTES[metric]] = rank;
  }
  const key = boardKey(board);
  const expiresAt = boardEntryExpiry(board);
  return {
    ...keys.boardEntry(userId, key),
    entity: BOARD_ENTRY_ENTITY,
    user_id: userId,
    [BOARD_PARTITION_ATTRIBUTE]: key,
    ...totals,
    ...ranks,
    ...(expiresAt === undefined ? {} : { [TABLE_DESIGN.ttlAttribute]: expiresAt }),
  };
}

/** One entry read off a board, in rank order, with the index key that resumes right after it. */
export interface BoardEntry {
  readonly user_id: string;
  readonly totals: PeriodTotals;
  readonly position: Record<string, string>;
}

export interface BoardPage {
  readonly entries: readonly BoardEntry[];
  /** Present when the board may hold more. */
  readonly lastKey?: Record<string, string>;
}

const numberOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * The leaderboard read model (ADR 0013): one item per (board, athlete) in the athlete's partition
 * (`USER#<id> / BOARD#<org>#<scope>#<period>#<bucket>`) holding the bucket's totals, indexed by the
 * four board indexes (`board_pk` = the board, sort key = the metric's rank key; `board_pace` only
 * with distance, so a pace board skips those without). Written only by the leaderboard projector,
 * always with absolute totals read off the profile, so writing one twice changes nothing.
 */
export class BoardRepository {
  constructor(
    private readonly client: DocumentClient,
    private readonly table: string,
  ) {}

  /** Sets an athlete's entry on one board to these totals; nothing counted means no entry. */
  async set(userId: string, board: Board, totals: PeriodTotals): Promise<void> {
    if (totals.count <= 0) {
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: keys.boardEntry(userId, boardKey(board)) }));
      return;
    }
    await this.client.send(new PutCommand({ TableName: this.table, Item: boardEntryItem(userId, board, totals) }));
  }

  /** Deletes an athlete's entries: everywhere, in one organization, or in one scope of it (keys from one Query). */
  async removeAll(userId: string, orgId?: string, scope?: { readonly groupId?: string }): Promise<number> {
    const range = keys.boardEntriesOf(userId, orgId, scope);
    let removed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': range.pk, ':prefix': range.skPrefix },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const found = out.Items ?? [];
      await batchWriteItems(
        this.client,
        this.table,
        found.map((Key) => ({ DeleteRequest: { Key } })),
      );
      removed += found.length;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return removed;
  }

  /**
   * One page of a board in rank order (best first) through the metric's index; eventually
   * consistent, as every index is (the projection lags its stream anyway).
   */
  async page(metric: BoardMetric, board: string, limit: number, startKey?: Record<string, unknown>): Promise<BoardPage> {
    const rankAttribute = BOARD_RANK_ATTRIBUTES[metric];
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BOARD_INDEXES[metric],
        KeyConditionExpression: '#board = :board',
        ExpressionAttributeNames: { '#board': BOARD_PARTITION_ATTRIBUTE },
        ExpressionAttributeValues: { ':board': board },
        Limit: limit,
        ...startFrom(startKey, {
          equals: { [BOARD_PARTITION_ATTRIBUTE]: board, sk: board },
          prefixes: { pk: 'USER#' },
          attributes: ['pk', 'sk', BOARD_PARTITION_ATTRIBUTE, rankAttribute],
        }),
      }),
    );
    const entries = (out.Items ?? []).map((item) => ({
      user_id: String(item.user_id),
      totals: { distance_m: numberOf(item.distance_m), moving_time_s: numberOf(item.moving_time_s), count: numberOf(item.count) },
      position: {
        pk: String(item.pk),
        sk: String(item.sk),
        [BOARD_PARTITION_ATTRIBUTE]: board,
        [rankAttribute]: String(item[rankAttribute]),
      },
    }));
    const lastKey = out.LastEvaluatedKey ? stringKey(out.LastEvaluatedKey) : undefined;
    return { entries, ...(lastKey ? { lastKey } : {}) };
  }
}

function stringKey(key: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, String(value)]));
}
