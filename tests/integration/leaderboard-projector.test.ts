import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { bucketOf, PERIODS, TOTAL_METRICS } from '../../lib/activities/period-totals';
import { createDocumentClient } from '../../lib/db/client';
import { LeaderboardProjector } from '../../lib/leaderboards/leaderboard-projector';
import { pinClock } from '../../lib/clock';
import { keys } from '../../lib/repositories/keys';
import { totalAttribute } from '../../lib/repositories/period-totals';
import { acceptedInvitation, memberTieAttributes } from '../../lib/repositories/profile-ties';
import { boardEntriesOf, createTestTable, groupItem, testDocumentClient, testDynamoDbEndpoint } from '../support/dynamodb';
import { streamRecord } from '../support/stream-record';
import { tableDigest } from '../support/table-digest';

/**
 * The leaderboard projector (ADR 0013) on DynamoDB Local, fed stream records as Lambda delivers them:
 * a redelivered record, or a whole batch delivered twice, leaves the table exactly as once; an
 * activity's totals land on the organization's and the group's boards; a member taken out of a group
 * loses that group's entries only.
 */
const NOW = new Date('2026-03-18T12:00:00Z');
const orgId = 'org_projector01';
const groupId = 'grp_projector01';
const athlete = 'usr_projathlete';
const WEEK = '2026-W12';
let table: string;
let projector: LeaderboardProjector;
const client = () => testDocumentClient();

type Image = Record<string, unknown>;

const record = (
  eventName: 'INSERT' | 'MODIFY',
  keyOf: Record<string, string>,
  before: Image | undefined,
  after: Image,
  sequence: string,
): DynamoDBRecord => streamRecord(eventName, keyOf, before, after, sequence, NOW);

const profile = (totals: { distance_m: number; moving_time_s: number; count: number } | undefined): Image => ({
  ...keys.user(athlete),
  entity: 'user',
  user_id: athlete,
  display_name: 'Projected Athlete',
  ...memberTieAttributes(orgId, {
    ...acceptedInvitation('usr_head', '2026-01-01T00:00:00Z'),
    status: 'active',
    head_coach_user_id: 'usr_head',
  }),
  ...(totals
    ? Object.fromEntries(
        (['week', WEEK, 'month', '2026-03', 'year', '2026', 'all', 'all'] as const).flatMap((value, i, all) =>
          i % 2 === 0
            ? (['distance_m', 'moving_time_s', 'count'] as const).map((metric) => [
                totalAttribute(value as 'week', all[i + 1] ?? '', metric),
                totals[metric],
              ])
            : [],
        ),
      )
    : {}),
});

const group = (members: string[]): Image => groupItem(orgId, groupId, members, { name: 'Tempo' });

const entriesOf = (userId: string): Promise<Image[]> => boardEntriesOf(table, userId);

beforeAll(async () => {
  pinClock(NOW);
  table = await createTestTable('board-projector');
  projector = new LeaderboardProjector(createDocumentClient(testDynamoDbEndpoint()), table);
  // The table as the activity's transaction left it: the profile with its totals, and the group holding the athlete.
  await client().send(new PutCommand({ TableName: table, Item: profile({ distance_m: 5_000, moving_time_s: 1_500, count: 1 }) }));
  await client().send(new PutCommand({ TableName: table, Item: group([athlete]) }));
  // The member item naming its group (ADR 0028), as group-members-add writes it with the group.
  await client().send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.member(orgId, athlete),
        entity: 'member',
        org_id: orgId,
        user_id: athlete,
        status: 'active',
        group_ids: new Set([groupId]),
      },
    }),
  );
});

afterAll(() => {
  pinClock(undefined);
});

describe('leaderboard projector', () => {
  const activityRecorded = record(
    'MODIFY',
    keys.user(athlete),
    profile(undefined),
    profile({ distance_m: 5_000, moving_time_s: 1_500, count: 1 }),
    '100',
  );

  it('puts the changed buckets on the organization’s and the group’s boards, with the absolute totals', async () => {
    expect(await projector.project(activityRecorded)).toBe(8);
    const entries = await entriesOf(athlete);
    expect(entries.map((e) => e.sk).sort()).toEqual(
      [
        ...['week', 'month', 'year', 'all'].map((p, i) => keys.board(orgId, {}, p, [WEEK, '2026-03', '2026', 'all'][i] ?? '')),
        ...['week', 'month', 'year', 'all'].map((p, i) => keys.board(orgId, { groupId }, p, [WEEK, '2026-03', '2026', 'all'][i] ?? '')),
      ].sort(),
    );
    expect(entries.every((e) => e.distance_m === 5_000 && e.count === 1 && e.board_pk === e.sk)).toBe(true);
  });

  it('an entry expires (table TTL) a day after its bucket ends; an all-time entry never does (ADR 0030)', async () => {
    const epoch = (iso: string) => Date.parse(iso) / 1000;
    const expiry = Object.fromEntries((await entriesOf(athlete)).map((e) => [String(e.sk), e.expires_at]));
    for (const scope of [{}, { groupId }])
      expect([
        expiry[keys.board(orgId, scope, 'week', WEEK)],
        expiry[keys.board(orgId, scope, 'month', '2026-03')],
        expiry[keys.board(orgId, scope, 'year', '2026')],
        expiry[keys.board(orgId, scope, 'all', 'all')],
      ]).toEqual([epoch('2026-03-24T00:00:00Z'), epoch('2026-04-02T00:00:00Z'), epoch('2027-01-02T00:00:00Z'), undefined]);
  });

  it('a redelivered record, or the batch again, leaves the table exactly as once', async () => {
    const once = await tableDigest(table);
    await projector.project(activityRecorded);
    expect(await tableDigest(table)).toBe(once);
    const second = record(
      'MODIFY',
      keys.user(athlete),
      profile({ distance_m: 5_000, moving_time_s: 1_500, count: 1 }),
      profile({ distance_m: 8_000, moving_time_s: 2_400, count: 2 }),
      '101',
    );
    for (const r of [activityRecorded, second]) await projector.project(r);
    const twice = await tableDigest(table);
    for (const r of [activityRecorded, second]) await projector.project(r);
    expect(await tableDigest(table)).toBe(twice);
    const week = await client().send(
      new GetCommand({ TableName: table, Key: keys.boardEntry(athlete, keys.board(orgId, {}, 'week', WEEK)), ConsistentRead: true }),
    );
    expect(week.Item).toMatchObject({ distance_m: 8_000, count: 2 });
  });

  it('a member taken out of a group loses that group’s entries only; the removal redelivered changes nothing', async () => {
    const left = record('MODIFY', keys.group(orgId, groupId), group([athlete]), group([]), '200');
    expect(await projector.project(left)).toBe(4);
    const boards = (await entriesOf(athlete)).map((e) => String(e.sk));
    expect(boards).toHaveLength(4);
    expect(boards.every((sk) => sk.startsWith(`BOARD#${orgId}#ORG#`))).toBe(true);
    const after = await tableDigest(table);
    expect(await projector.project(left)).toBe(0);
    expect(await tableDigest(table)).toBe(after);
  });

  it('a settings change moves no board', async () => {
    const before = await tableDigest(table);
    const totals = { distance_m: 8_000, moving_time_s: 2_400, count: 2 };
    const settings = record(
      'MODIFY',
      keys.user(athlete),
      profile(totals),
      { ...profile(totals), privacy: { share_pace_data: false } },
      '300',
    );
    expect(await projector.project(settings)).toBe(0);
    expect(await tableDigest(table)).toBe(before);
  });
});

describe('a profile from before ADR 0029, with a decade of weekly counters', () => {
  const veteran = 'usr_projveteran';
  const WEEK_MS = 7 * 86_400_000;

  /** One run a week for ten years before NOW, as the old writes left them: every bucket's counters. */
  function decadeOfCounters(): Image {
    const counters: Image = {};
    for (let at = NOW.getTime() - 520 * WEEK_MS; at <= NOW.getTime(); at += WEEK_MS)
      for (const period of PERIODS)
        for (const metric of TOTAL_METRICS) {
          const name = totalAttribute(period, bucketOf(period, new Date(at)), metric);
          counters[name] = (typeof counters[name] === 'number' ? counters[name] : 0) + 1;
        }
    return counters;
  }

  it('keeps only the current buckets’ counters after its next record, in however many writes that takes', async () => {
    const old: Image = { ...keys.user(veteran), entity: 'user', user_id: veteran, display_name: 'Veteran', ...decadeOfCounters() };
    expect(Object.keys(old).filter((name) => name.startsWith('tot#')).length).toBeGreaterThan(1_900);
    await client().send(new PutCommand({ TableName: table, Item: old }));

    // Any change of the profile: here a new bio, as the stream would deliver it.
    await projector.project(record('MODIFY', keys.user(veteran), old, { ...old, bio: 'still running' }, '300'));

    const after = (await client().send(new GetCommand({ TableName: table, Key: keys.user(veteran), ConsistentRead: true }))).Item ?? {};
    const kept = Object.keys(after).filter((name) => name.startsWith('tot#'));
    // The current buckets' counters, as the profile of the first describe holds them.
    const current = Object.keys(profile({ distance_m: 0, moving_time_s: 0, count: 0 })).filter((name) => name.startsWith('tot#'));
    expect(kept.sort()).toEqual(current.sort());
    expect(after[totalAttribute('all', 'all', 'count')]).toBe(521);
    expect(after.display_name).toBe('Veteran');
  });
});
