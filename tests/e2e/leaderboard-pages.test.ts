import { nowIso } from '../../lib/clock';
import { bearer } from '../support/http';
import { accept, createOrgCast, createUser, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../support/dynamodb';

/**
 * The leaderboard's pages over HTTP (ADR 0013): paging gives every visible athlete once with
 * consecutive ranks, hidden athletes leave no gap, a member who joins appears with the totals they
 * had, one who leaves is gone at once, and a new week is a new, empty board that leaves the last
 * one as it was. The stack's clock is pinned; boards are read after the projection (drainStreams).
 */
const NOW = new Date('2026-03-18T12:00:00Z');
let stack: TestStack;
let cast: OrgCast;
const auth: Record<string, Record<string, string>> = {};
/** Runners by distance, best first: runners[0] ran the most. */
const runners: string[] = [];

interface Board {
  entries: { rank: number; user_id: string; value: number }[];
  count: number;
  next_token?: string;
}

async function run(userId: string, distance: number, at = NOW): Promise<void> {
  const body = {
    type: 'run',
    name: 'Run',
    start_time: nowIso(at),
    distance_m: distance,
    moving_time_s: distance / 4,
    elapsed_time_s: distance / 4,
  };
  expect((await stack.http.post(`/api/v1/users/${userId}/activities`, body, { headers: auth[userId] })).status).toBe(201);
}

async function boardPage(viewer: string, query: string): Promise<{ status: number; body: Board }> {
  const response = await stack.http.get<Board>(`/api/v1/organizations/${cast.orgId}/leaderboard?${query}`, { headers: auth[viewer] });
  return { status: response.status, body: response.body as Board };
}

/** Every page of a board, following next_token. */
async function allPages(viewer: string, query: string): Promise<Board[]> {
  const pages: Board[] = [];
  let token: string | undefined;
  do {
    const page = await boardPage(viewer, `${query}${token ? `&next_token=${token}` : ''}`);
    expect(page.status).toBe(200);
    pages.push(page.body);
    token = page.body.next_token;
  } while (token && pages.length < 20);
  return pages;
}

const ids = (b: Board) => b.entries.map((e) => e.user_id);

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(NOW);
  cast = await createOrgCast(stack);
  const asHead = { headers: bearer(await stack.token(cast.headCoach)) };
  auth[cast.headCoach] = asHead.headers;
  for (let i = 0; i < 5; i++) {
    const userId = await createUser(stack, cast.appKey, `Runner ${i}`);
    expect((await stack.http.post(`/api/v1/organizations/${cast.orgId}/members`, { user_id: userId }, asHead)).status).toBe(201);
    await accept(stack, cast.orgId, userId);
    auth[userId] = bearer(await stack.token(userId));
    runners.push(userId);
  }
  for (const [i, userId] of runners.entries()) await run(userId, 10_000 - i * 1_000);
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

describe('paging', () => {
  it('gives every visible athlete once, ranks continued across pages, and a hidden athlete leaves no gap', async () => {
    const everyone = (await allPages(cast.headCoach, 'metric=distance&period=week&limit=2')).flatMap((b) => b.entries);
    expect(everyone.map((e) => e.user_id)).toEqual(runners);
    expect(everyone.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5]);

    expect(
      (
        await stack.http.put(
          `/api/v1/users/${runners[1]}`,
          { privacy: { paticipate_leaderboard: false } },
          { headers: auth[runners[1] ?? ''] },
        )
      ).status,
    ).toBe(200);
    const pages = await allPages(cast.headCoach, 'metric=distance&period=week&limit=2');
    expect(pages.every((page) => page.count <= 2 && page.count === page.entries.length)).toBe(true);
    const shown = pages.flatMap((b) => b.entries);
    expect(shown.map((e) => e.user_id)).toEqual(runners.filter((_, i) => i !== 1));
    expect(shown.map((e) => e.rank)).toEqual([1, 2, 3, 4]);
    expect(shown.map((e) => e.value)).toEqual([10_000, 8_000, 7_000, 6_000]);
    expect(
      (
        await stack.http.put(
          `/api/v1/users/${runners[1]}`,
          { privacy: { paticipate_leaderboard: true } },
          { headers: auth[runners[1] ?? ''] },
        )
      ).status,
    ).toBe(200);
  });

  it('binds a token to its board: another metric, period or organization is a 400 naming next_token', async () => {
    const first = await boardPage(cast.headCoach, 'metric=distance&period=week&limit=2');
    expect(first.body.next_token).toEqual(expect.any(String));
    for (const query of ['metric=time&period=week', 'metric=distance&period=month', 'metric=distance&period=week&group_id=grp_other']) {
      const replayed = await boardPage(cast.headCoach, `${query}&limit=2&next_token=${first.body.next_token}`);
      expect([query, replayed.status]).toEqual([query, 400]);
      expect(JSON.stringify(replayed.body)).toContain('next_token');
    }
    // The same board a week later: its key is outside the new week's board.
    stack.pinClock(new Date(NOW.getTime() + 7 * 86_400_000));
    try {
      expect((await boardPage(cast.headCoach, `metric=distance&period=week&limit=2&next_token=${first.body.next_token}`)).status).toBe(400);
    } finally {
      stack.pinClock(NOW);
    }
  });

  it('rejects a limit outside 1..100 with a 400 naming it', async () => {
    for (const limit of ['0', '101', 'ten']) {
      const response = await boardPage(cast.headCoach, `metric=distance&period=week&limit=${limit}`);
      expect([limit, response.status]).toEqual([limit, 400]);
      expect(JSON.stringify(response.body)).toContain('limit');
    }
  });
});

describe('membership', () => {
  it('a member who joins appears with the totals they had; one who leaves is gone at once and their entries are removed', async () => {
    const joiner = await createUser(stack, cast.appKey, 'Late Joiner');
    auth[joiner] = bearer(await stack.token(joiner));
    await run(joiner, 9_500);
    await stack.drainStreams();
    expect(ids((await boardPage(cast.headCoach, 'metric=distance&period=week')).body)).not.toContain(joiner);

    const asHead = { headers: auth[cast.headCoach] };
    expect((await stack.http.post(`/api/v1/organizations/${cast.orgId}/members`, { user_id: joiner }, asHead)).status).toBe(201);
    await stack.drainStreams();
    // Pending (privacy.md §8): not on the board until they accept.
    expect(ids((await boardPage(cast.headCoach, 'metric=distance&period=week')).body)).not.toContain(joiner);
    await accept(stack, cast.orgId, joiner);
    await stack.drainStreams();
    const joined = (await boardPage(cast.headCoach, 'metric=distance&period=week')).body.entries;
    expect(joined.find((e) => e.user_id === joiner)).toEqual(expect.objectContaining({ rank: 2, value: 9_500 }));
    expect(joined.map((e) => e.rank)).toEqual(joined.map((_, i) => i + 1));

    expect((await stack.http.delete(`/api/v1/organizations/${cast.orgId}/members/${joiner}`, asHead)).status).toBe(200);
    expect(ids((await boardPage(cast.headCoach, 'metric=distance&period=week')).body)).not.toContain(joiner);
    await stack.drainStreams();
    const entries = await testDocumentClient().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :board)',
        ExpressionAttributeValues: { ':pk': `USER#${joiner}`, ':board': `BOARD#${cast.orgId}#` },
        ConsistentRead: true,
      }),
    );
    expect(entries.Items).toEqual([]);
  });
});

describe('period rollover', () => {
  it('a new week is a new, empty board that fills with its own activities; the last week keeps its board', async () => {
    const lastWeek = (await boardPage(cast.headCoach, 'metric=distance&period=week')).body;
    expect(lastWeek.count).toBeGreaterThanOrEqual(5);
    const nextWeek = new Date(NOW.getTime() + 7 * 86_400_000);
    stack.pinClock(nextWeek);
    try {
      expect((await boardPage(cast.headCoach, 'metric=distance&period=week')).body.entries).toEqual([]);
      // Same month: the month's board still holds everyone.
      expect((await boardPage(cast.headCoach, 'metric=distance&period=month')).body.count).toBe(lastWeek.count);
      await run(runners[4] ?? '', 3_000, nextWeek);
      await stack.drainStreams();
      expect((await boardPage(cast.headCoach, 'metric=distance&period=week')).body.entries).toEqual([
        expect.objectContaining({ rank: 1, user_id: runners[4], value: 3_000 }),
      ]);
    } finally {
      stack.pinClock(NOW);
    }
    expect((await boardPage(cast.headCoach, 'metric=distance&period=week')).body).toEqual(lastWeek);
  });
});
