import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../../lib/clock';
import { keys } from '../../lib/repositories/keys';
import { testDocumentClient } from '../support/dynamodb';
import { bearer } from '../support/http';
import { createOrgCast, createUser, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Leaderboards and the organization feed over HTTP (privacy.md §5): who appears, with which keys,
 * and that a settings change, a deletion or a removal applies on the very next read.
 *
 * The stack's clock is pinned (TestStack.pinClock), so "this week" and "this month" are the same on
 * every run: NOW is mid-week and mid-month, and the last describe moves it across the edges.
 */
const NOW = new Date('2026-03-18T12:00:00Z');
let stack: TestStack;
let cast: OrgCast;
const auth: Record<string, Record<string, string>> = {};

interface Entry {
  rank: number;
  user_id: string;
  display_name: string;
  value: number;
  profile_image_url?: string;
}
interface Board {
  metric: string;
  period: string;
  entries: Entry[];
  count: number;
}
interface Feed {
  activities: Record<string, unknown>[];
  count: number;
  next_token?: string;
}

const ENTRY_KEYS = ['display_name', 'rank', 'user_id', 'value'];
const ACTIVITY_BASE = ['activity_id', 'user_id', 'type', 'name', 'start_time', 'distance_m', 'moving_time_s', 'elapsed_time_s'];

/** `secondsAgo` (before NOW) orders the feed (entries of one second would sort by their random id suffix). */
function activity(distance: number, seconds: number, name = 'Tempo run', secondsAgo = 0): Record<string, unknown> {
  return activityAt(new Date(NOW.getTime() - secondsAgo * 1000), distance, seconds, name);
}

function activityAt(start: Date, distance: number, seconds: number, name: string): Record<string, unknown> {
  return {
    type: 'run',
    name,
    start_time: nowIso(start),
    distance_m: distance,
    moving_time_s: seconds,
    elapsed_time_s: seconds + 60,
    splits: [{ distance_m: 1000, time_s: 300 }],
    map: { polyline: 'abc', start_latlng: [40, -74], end_latlng: [40.1, -74.1] },
    avg_heart_rate: 150,
    max_heart_rate: 175,
    elevation_gain_m: 20,
    avg_cadence: 170,
    avg_power_w: 250,
  };
}

async function post(userId: string, body: Record<string, unknown>): Promise<string> {
  const response = await stack.http.post<{ activity: { activity_id: string } }>(`/api/v1/users/${userId}/activities`, body, {
    headers: auth[userId],
  });
  expect(response.status).toBe(201);
  return response.body?.activity.activity_id ?? '';
}

async function setPrivacy(userId: string, privacy: Record<string, boolean>): Promise<void> {
  expect((await stack.http.put(`/api/v1/users/${userId}`, { privacy }, { headers: auth[userId] })).status).toBe(200);
}

async function board(viewer: string, metric = 'distance', period = 'week', extra = '', orgId = cast.orgId): Promise<Board> {
  const response = await stack.http.get<Board>(`/api/v1/organizations/${orgId}/leaderboard?metric=${metric}&period=${period}${extra}`, {
    headers: auth[viewer],
  });
  expect(response.status).toBe(200);
  return response.body as Board;
}

async function feed(viewer: string): Promise<Feed> {
  const response = await stack.http.get<Feed>(`/api/v1/organizations/${cast.orgId}/feed?limit=100`, { headers: auth[viewer] });
  expect(response.status).toBe(200);
  return response.body as Feed;
}

const ids = (b: Board) => b.entries.map((e) => e.user_id);
const feedIds = (f: Feed) => f.activities.map((a) => a.activity_id);

let athleteRun: string;
let fellowRun: string;

beforeAll(async () => {
  stack = await startTestStack();
  stack.pinClock(NOW);
  cast = await createOrgCast(stack);
  for (const id of [cast.athlete, cast.headCoach, cast.assignedCoach, cast.coCoach, cast.fellow, cast.stranger])
    auth[id] = bearer(await stack.token(id));
  expect(
    (
      await stack.http.put(
        `/api/v1/users/${cast.athlete}`,
        { profile_image_url: 'https://img.example/ada.png' },
        { headers: auth[cast.athlete] },
      )
    ).status,
  ).toBe(200);
  athleteRun = await post(cast.athlete, activity(10_000, 3_000, 'Long run', 2));
  fellowRun = await post(cast.fellow, activity(5_000, 1_200, 'Tempo run', 1));
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

describe('leaderboard', () => {
  it('ranks active members by the current bucket, with exactly rank, user_id, display_name, value and the shared photo', async () => {
    for (const period of ['week', 'month', 'year', 'all']) {
      const b = await board(cast.fellow, 'distance', period);
      expect(b).toMatchObject({ metric: 'distance', period, count: 2 });
      expect(b.entries).toEqual([
        { rank: 1, user_id: cast.athlete, display_name: 'Athlete Ada', value: 10_000, profile_image_url: 'https://img.example/ada.png' },
        { rank: 2, user_id: cast.fellow, display_name: 'Fellow Fay', value: 5_000 },
      ]);
    }
    expect((await board(cast.fellow, 'time')).entries.map((e) => [e.user_id, e.value])).toEqual([
      [cast.athlete, 3_000],
      [cast.fellow, 1_200],
    ]);
    // Pace: lower is better.
    expect((await board(cast.fellow, 'pace')).entries.map((e) => [e.rank, e.user_id, e.value])).toEqual([
      [1, cast.fellow, 240],
      [2, cast.athlete, 300],
    ]);
  });

  it('never carries map, training or pace fields, even for the assigned coach with share_with_coach on', async () => {
    for (const metric of ['distance', 'time', 'count', 'pace']) {
      for (const viewer of [cast.assignedCoach, cast.headCoach, cast.athlete]) {
        const b = await board(viewer, metric);
        expect(b.entries.length).toBe(2);
        for (const entry of b.entries) {
          const expected = entry.user_id === cast.athlete ? [...ENTRY_KEYS, 'profile_image_url'].sort() : ENTRY_KEYS;
          expect(Object.keys(entry).sort()).toEqual(expected);
        }
      }
    }
  });

  it('leaves out an athlete who turns paticipate_leaderboard off, for everyone including themselves, on the next read', async () => {
    await setPrivacy(cast.athlete, { paticipate_leaderboard: false });
    for (const viewer of [cast.athlete, cast.fellow, cast.headCoach, cast.assignedCoach]) {
      const b = await board(viewer);
      expect(ids(b)).toEqual([cast.fellow]);
      expect(b.entries[0]?.rank).toBe(1);
    }
    await setPrivacy(cast.athlete, { paticipate_leaderboard: true });
    expect(ids(await board(cast.fellow))).toEqual([cast.athlete, cast.fellow]);
  });

  it('leaves an athlete without share_pace_data out of a pace-ranked board only', async () => {
    await setPrivacy(cast.fellow, { share_pace_data: false });
    for (const viewer of [cast.fellow, cast.athlete, cast.headCoach]) {
      expect((await board(viewer, 'pace')).entries).toEqual([expect.objectContaining({ rank: 1, user_id: cast.athlete, value: 300 })]);
      expect(ids(await board(viewer, 'distance'))).toEqual([cast.athlete, cast.fellow]);
    }
    await setPrivacy(cast.fellow, { share_pace_data: true });
  });

  it('filters by group_id (group members who are active members)', async () => {
    const created = await stack.http.post<{ group: { group_id: string } }>(
      `/api/v1/organizations/${cast.orgId}/groups`,
      { name: 'Tempo' },
      { headers: auth[cast.headCoach] },
    );
    expect(created.status).toBe(201);
    const groupId = created.body?.group.group_id ?? '';
    expect((await board(cast.fellow, 'distance', 'week', `&group_id=${groupId}`)).entries).toEqual([]);
    expect(
      (
        await stack.http.post(
          `/api/v1/organizations/${cast.orgId}/groups/${groupId}/members`,
          { user_id: cast.fellow },
          { headers: auth[cast.headCoach] },
        )
      ).status,
    ).toBe(201);
    await stack.drainStreams(); // the projector puts the new group member's current totals on the group's boards
    const b = await board(cast.athlete, 'distance', 'week', `&group_id=${groupId}`);
    expect(b.entries).toEqual([{ rank: 1, user_id: cast.fellow, display_name: 'Fellow Fay', value: 5_000 }]);
    const missing = await stack.http.get(
      `/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=week&group_id=grp_doesnotexist`,
      { headers: auth[cast.fellow] },
    );
    expect(missing.status).toBe(404);
  });

  it('rejects outsiders (403) and bad parameters (400)', async () => {
    expect(
      (
        await stack.http.get(`/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=week`, {
          headers: auth[cast.stranger],
        })
      ).status,
    ).toBe(403);
    expect(
      (await stack.http.get(`/api/v1/organizations/${cast.orgId}/leaderboard?metric=speed&period=week`, { headers: auth[cast.fellow] }))
        .status,
    ).toBe(400);
    expect(
      (
        await stack.http.get(`/api/v1/organizations/${cast.orgId}/leaderboard?metric=distance&period=decade`, {
          headers: auth[cast.fellow],
        })
      ).status,
    ).toBe(400);
  });
});

describe('organization feed', () => {
  it('lists members’ activities newest first, shaped per viewer', async () => {
    const f = await feed(cast.fellow);
    expect(feedIds(f)).toEqual([fellowRun, athleteRun]);
    expect(f.count).toBe(2);
    // The fellow member is `group` to the athlete: defaults show pace, map and training data; never created_at/org_id.
    // A feed entry is the activity's summary (ADR 0017): no splits, and the map's end points without the polyline.
    const seen = f.activities.find((a) => a.activity_id === athleteRun) ?? {};
    expect(seen.map).toEqual({ start_latlng: [40, -74], end_latlng: [40.1, -74.1] });
    expect(Object.keys(seen).sort()).toEqual(
      [
        ...ACTIVITY_BASE,
        'avg_pace_s_per_km',
        'map',
        'avg_heart_rate',
        'max_heart_rate',
        'elevation_gain_m',
        'avg_cadence',
        'avg_power_w',
      ].sort(),
    );
    expect(Object.keys(seen).some((key) => key.startsWith('tot#') || key === 'org_id' || key === 'pk')).toBe(false);
  });

  it('applies the master switch and the audience toggles on the next read', async () => {
    await setPrivacy(cast.athlete, { share_activity_in_profile: false });
    expect(feedIds(await feed(cast.fellow))).toEqual([fellowRun]);
    expect(feedIds(await feed(cast.assignedCoach))).toEqual([fellowRun]);
    expect(feedIds(await feed(cast.athlete))).toEqual([fellowRun, athleteRun]);

    await setPrivacy(cast.athlete, { share_activity_in_profile: true, share_activity_with_group: false });
    expect(feedIds(await feed(cast.fellow))).toEqual([fellowRun]);
    expect(feedIds(await feed(cast.coCoach))).toEqual([fellowRun]);
    expect(feedIds(await feed(cast.assignedCoach))).toEqual([fellowRun, athleteRun]);

    await setPrivacy(cast.athlete, {
      share_activity_with_group: true,
      share_activity_map: false,
      share_training_data: false,
      share_with_coach: false,
    });
    const fellowView = (await feed(cast.fellow)).activities.find((a) => a.activity_id === athleteRun) ?? {};
    expect(Object.keys(fellowView).sort()).toEqual([...ACTIVITY_BASE, 'avg_pace_s_per_km'].sort());
    await setPrivacy(cast.athlete, { share_activity_map: true, share_training_data: true, share_with_coach: true });
  });

  it('rejects outsiders with 403', async () => {
    expect((await stack.http.get(`/api/v1/organizations/${cast.orgId}/feed`, { headers: auth[cast.stranger] })).status).toBe(403);
  });

  it('pages newest first with next_token', async () => {
    const first = await stack.http.get<Feed>(`/api/v1/organizations/${cast.orgId}/feed?limit=1`, { headers: auth[cast.headCoach] });
    expect(first.body?.activities.map((a) => a.activity_id)).toEqual([fellowRun]);
    expect(first.body?.next_token).toEqual(expect.any(String));
    const second = await stack.http.get<Feed>(`/api/v1/organizations/${cast.orgId}/feed?limit=1&next_token=${first.body?.next_token}`, {
      headers: auth[cast.headCoach],
    });
    expect(second.body?.activities.map((a) => a.activity_id)).toEqual([athleteRun]);
  });
});

describe('deletion, removal, and the profile', () => {
  it('takes a deleted activity out of the board and the feed once projected', async () => {
    const extra = await post(cast.athlete, activity(2_000, 700, 'Shakeout'));
    await stack.drainStreams();
    expect((await board(cast.fellow)).entries.find((e) => e.user_id === cast.athlete)?.value).toBe(12_000);
    expect((await board(cast.fellow, 'count', 'all')).entries.find((e) => e.user_id === cast.athlete)?.value).toBe(2);
    expect(feedIds(await feed(cast.fellow))).toContain(extra);

    expect((await stack.http.delete(`/api/v1/users/${cast.athlete}/activities/${extra}`, { headers: auth[cast.athlete] })).status).toBe(
      200,
    );
    await stack.drainStreams();
    expect((await board(cast.fellow)).entries.find((e) => e.user_id === cast.athlete)?.value).toBe(10_000);
    expect((await board(cast.fellow, 'count', 'all')).entries.find((e) => e.user_id === cast.athlete)?.value).toBe(1);
    expect(feedIds(await feed(cast.fellow))).not.toContain(extra);
    // A second delete is a 404 and subtracts nothing.
    expect((await stack.http.delete(`/api/v1/users/${cast.athlete}/activities/${extra}`, { headers: auth[cast.athlete] })).status).toBe(
      404,
    );
    await stack.drainStreams();
    expect((await board(cast.fellow)).entries.find((e) => e.user_id === cast.athlete)?.value).toBe(10_000);
  });

  it('never returns the totals counters in a profile response', async () => {
    const responses = [
      await stack.http.get('/api/v1/users/me', { headers: auth[cast.athlete] }),
      await stack.http.get(`/api/v1/users/${cast.athlete}`, { headers: auth[cast.assignedCoach] }),
      await stack.http.put(`/api/v1/users/${cast.athlete}`, { bio: 'Runs' }, { headers: auth[cast.athlete] }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(Object.keys(response.body ?? {}).length).toBeGreaterThan(1);
      expect(response.text).not.toContain('tot#');
    }
  });

  it('records the first activity of a user who never called /users/me', async () => {
    const newcomer = `usr_newcomer${Date.now().toString(36)}`;
    auth[newcomer] = bearer(await stack.token(newcomer, { name: 'New Comer' }));
    await post(newcomer, activity(3_000, 900));
    const me = await stack.http.get<Record<string, unknown>>('/api/v1/users/me', { headers: auth[newcomer] });
    expect(me.body).toMatchObject({ user_id: newcomer, display_name: 'New Comer' });
    expect(me.text).not.toContain('tot#');
  });

  it('drops an athlete removed from the organization from its feed and leaderboard at once', async () => {
    expect(
      (await stack.http.delete(`/api/v1/organizations/${cast.orgId}/members/${cast.fellow}`, { headers: auth[cast.headCoach] })).status,
    ).toBe(200);
    expect(ids(await board(cast.headCoach))).toEqual([cast.athlete]);
    expect(feedIds(await feed(cast.headCoach))).toEqual([athleteRun]);
    expect((await stack.http.get(`/api/v1/organizations/${cast.orgId}/feed`, { headers: auth[cast.fellow] })).status).toBe(403);
    // A user created by app key (no token yet) still shows up nowhere until they join.
    expect(await createUser(stack, cast.appKey, 'Late Joiner')).toEqual(expect.any(String));
  });
});

/**
 * An organization of the describe's own (filled in by its beforeAll), with tokens for its athlete and
 * fellow, and the clock back at NOW after each of its tests.
 */
function ownOrgCast(): OrgCast {
  const cast = {} as OrgCast;
  beforeAll(async () => {
    Object.assign(cast, await createOrgCast(stack));
    for (const id of [cast.athlete, cast.fellow]) auth[id] = bearer(await stack.token(id));
  });
  afterEach(() => {
    stack.pinClock(NOW);
  });
  return cast;
}

describe('the current period at the calendar’s edges (UTC; ISO weeks start on Monday)', () => {
  // Its own organization, so its activities are in no other board. Each test uses its own year, so
  // no two tests share a week, month or year bucket.
  const edge = ownOrgCast();
  const seenAt = async (at: string): Promise<Record<string, number | undefined>> => {
    stack.pinClock(new Date(at));
    const values: Record<string, number | undefined> = {};
    for (const period of ['week', 'month', 'year']) {
      values[period] = (await board(edge.fellow, 'distance', period, '', edge.orgId)).entries.find(
        (e) => e.user_id === edge.athlete,
      )?.value;
    }
    return values;
  };
  // Recorded as it ends, a few seconds after it started: a board is of its current bucket, and the
  // totals of a bucket that had already ended when the run was recorded are not kept (ADR 0029).
  const postAt = async (start: string): Promise<void> => {
    stack.pinClock(new Date(Date.parse(start) + 5_000));
    await post(edge.athlete, activityAt(new Date(start), 7_000, 2_100, 'Late run'));
    await stack.drainStreams();
  };

  it('counts a Sunday-night run in its week until Monday 00:00 UTC, and in its month and year after', async () => {
    await postAt('2024-03-24T23:59:50Z'); // Sunday of 2024-W12
    expect(await seenAt('2024-03-24T23:59:59Z')).toEqual({ week: 7_000, month: 7_000, year: 7_000 });
    // A board lists those with an activity in its bucket: the new week's has none yet.
    expect(await seenAt('2024-03-25T00:00:00Z')).toEqual({ week: undefined, month: 7_000, year: 7_000 });
  });

  it('counts a last-of-the-month run in its month until the 1st, 00:00 UTC, and in its week after (mid-week)', async () => {
    await postAt('2023-05-31T23:59:50Z'); // Wednesday of 2023-W22; Thursday the 1st is the same week
    expect(await seenAt('2023-05-31T23:59:59Z')).toEqual({ week: 7_000, month: 7_000, year: 7_000 });
    expect(await seenAt('2023-06-01T00:00:00Z')).toEqual({ week: 7_000, month: undefined, year: 7_000 });
  });

  it('keeps a New Year’s Eve run in its ISO week when that week runs into the new year', async () => {
    await postAt('2020-12-31T23:59:50Z'); // Thursday of 2020-W53, which ends on Sunday 2021-01-03
    expect(await seenAt('2020-12-31T23:59:59Z')).toEqual({ week: 7_000, month: 7_000, year: 7_000 });
    expect(await seenAt('2021-01-01T00:00:00Z')).toEqual({ week: 7_000, month: undefined, year: undefined });
    expect(await seenAt('2021-01-04T00:00:00Z')).toEqual({ week: undefined, month: undefined, year: undefined });
  });
});

describe('an athlete’s history on their profile (ADR 0029)', () => {
  // Its own organization and athletes, so no other test's runs are on these boards or profiles.
  const history = ownOrgCast();
  const WEEK_MS = 7 * 86_400_000;

  /** The profile's period counters, by bucket (`week#2026-W12`), read off the item (test-only). */
  const countersOf = async (userId: string): Promise<string[]> => {
    const out = await testDocumentClient().send(
      new GetCommand({ TableName: stack.tableName, Key: keys.user(userId), ConsistentRead: true }),
    );
    const buckets = Object.keys(out.Item ?? {}).flatMap((name) => (name.startsWith('tot#') ? [name.split('#').slice(1, 3).join('#')] : []));
    return [...new Set(buckets)].sort();
  };

  it('keeps the counters of the current buckets only, however long the imported history: the all-time board counts every run', async () => {
    // A weekly run over 80 weeks before NOW (2026-W12), imported now, and one this week.
    for (let week = 80; week >= 1; week--)
      await post(history.athlete, activityAt(new Date(NOW.getTime() - week * WEEK_MS), 5_000, 1_500, 'Old run'));
    await post(history.athlete, activity(6_000, 1_800, 'This week', 60));
    await stack.drainStreams();

    expect(await countersOf(history.athlete)).toEqual(['all#all', 'month#2026-03', 'week#2026-W12', 'year#2026']);
    const mine = async (period: string) =>
      (await board(history.fellow, 'distance', period, '', history.orgId)).entries.find((e) => e.user_id === history.athlete)?.value;
    // 2026-W12 is the 18th's week; March holds two of the old runs (the 4th and the 11th), 2026 ten.
    expect({ week: await mine('week'), month: await mine('month'), year: await mine('year'), all: await mine('all') }).toEqual({
      week: 6_000,
      month: 6_000 + 2 * 5_000,
      year: 6_000 + 10 * 5_000,
      all: 6_000 + 80 * 5_000,
    });
  });

  it('drops the counters of buckets that ended since at the profile’s next change, keeping those still current', async () => {
    const athlete = history.fellow;
    await post(athlete, activity(4_000, 1_200, 'Before the rollover', 30));
    await stack.drainStreams();
    expect(await countersOf(athlete)).toEqual(['all#all', 'month#2026-03', 'week#2026-W12', 'year#2026']);

    // Two months on (the week and the month have ended, the year has not): a change of the profile
    // that touches no activity, a new bio, is enough.
    stack.pinClock(new Date('2026-05-13T12:00:00Z'));
    expect((await stack.http.put(`/api/v1/users/${athlete}`, { bio: 'new season' }, { headers: auth[athlete] })).status).toBe(200);
    await stack.drainStreams();
    expect(await countersOf(athlete)).toEqual(['all#all', 'year#2026']);
    const all = (await board(history.athlete, 'distance', 'all', '', history.orgId)).entries.find((e) => e.user_id === athlete);
    expect(all?.value).toBe(4_000);
  });
});
