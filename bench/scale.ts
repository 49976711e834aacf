import { BATCH_WRITE_LIMIT, batchWriteItems } from '../lib/repositories/batch-write';
import { ROUTES, type RouteDefinition } from '../functions/manifest';
import { createDocumentClient, type DocumentClient } from '../lib/db/client';
import { newId } from '../lib/ids';
import { newActivityId } from '../lib/activities/activity-id';
import { bucketOf, PERIODS, TOTAL_METRICS, type PeriodTotals } from '../lib/activities/period-totals';
import { now, nowIso } from '../lib/clock';
import { boardEntryItem } from '../lib/repositories/board-repository';
import { keys } from '../lib/repositories/keys';
import { totalAttribute } from '../lib/repositories/period-totals';
import { acceptedInvitation, memberTieAttributes } from '../lib/repositories/profile-ties';
import { FEED_ENTRY_ENTITY } from '../lib/repositories/table-design';
import { PRICES } from './prices';
import { totals } from './dynamo-recorder';
import { invoke } from './invoker';
import { benchRequest, type ScenarioRun } from './scenario';
import { median } from './stats';

/** The organization sizes the issue asks about. */
export const SCALE_SIZES = [10, 1_000, 10_000] as const;

export interface ScaleCase {
  readonly label: string;
  /** API path under /api/v1 with `{org_id}`; the route is found by method and path, whatever its name. */
  readonly method: 'GET';
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /**
   * For a read that is not paged (the leaderboard ranks every active member), the calls its design
   * allows on an organization of this many seeded members; its target is to stay within them rather
   * than to be constant in organization size.
   */
  readonly designedCalls?: (members: number) => number;
  /** The largest organization's page within this many times the smallest's, in calls and in RRU (LIMITS.scaleRatio). */
  readonly withinRatio?: boolean;
}

/**
 * Organization reads at scale; each is measured on every size, or reported as not yet built. Pages
 * of 10, so the 10-member organization fills one too: a page's cost is then compared like for like.
 */
export const SCALE_CASES: readonly ScaleCase[] = [
  { label: 'members list, first page', method: 'GET', path: '/api/v1/organizations/{org_id}/members', query: {} },
  {
    label: 'members list, active intermediate members',
    method: 'GET',
    path: '/api/v1/organizations/{org_id}/members',
    query: { status: 'active', member_level: 'intermediate' },
  },
  {
    label: 'members list with profile status',
    method: 'GET',
    path: '/api/v1/organizations/{org_id}/members',
    query: { include_profile_status: 'true' },
  },
  { label: 'feed, first page of 10', method: 'GET', path: '/api/v1/organizations/{org_id}/feed', query: { limit: '10' } },
  {
    label: 'leaderboard, distance this month, first page of 10',
    method: 'GET',
    path: '/api/v1/organizations/{org_id}/leaderboard',
    query: { metric: 'distance', period: 'month', limit: '10' },
    withinRatio: true,
  },
];

export interface ScaleRow {
  readonly label: string;
  readonly route?: string;
  readonly members: number;
  /** Undefined when the route does not exist yet. */
  readonly calls?: number;
  readonly readUnits?: number;
  /** DynamoDB's read price of one page, per million pages (on-demand RRU). */
  readonly readUsdPerMillion?: number;
  readonly items?: number;
  /** Handler wall time per page, in process against DynamoDB Local (median of the runs). */
  readonly pageMs?: number;
  readonly status?: number;
}

export const routeFor = (scaleCase: ScaleCase): RouteDefinition | undefined =>
  ROUTES.find((route) => route.method === scaleCase.method && route.path === scaleCase.path);

const LEVELS = ['beginner', 'intermediate', 'advanced', 'elite'] as const;

async function batchWrite(
  client: DocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  concurrency = 8,
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) chunks.push(items.slice(start, start + BATCH_WRITE_LIMIT));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      await batchWriteItems(
        client,
        table,
        (chunks[next++] ?? []).map((Item) => ({ PutRequest: { Item } })),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The profile attributes of one activity's totals in every period bucket of `at` (as the activity's transaction ADDs them). */
function totalsAttributes(at: Date, totals: PeriodTotals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const period of PERIODS)
    for (const metric of TOTAL_METRICS) out[totalAttribute(period, bucketOf(period, at), metric)] = totals[metric];
  return out;
}

/**
 * An active member's one activity this period, as the API and the stream consumers would have left
 * it: the activity item, its feed entry (feed projector) and its entries on the organization's four
 * current boards (leaderboard projector, ADR 0013); the totals go on the profile (seedMembers).
 */
function activityItems(orgId: string, userId: string, at: Date, index: number, totals: PeriodTotals): Record<string, unknown>[] {
  const startTime = nowIso(at);
  const activityId = newActivityId(startTime);
  const activity = {
    activity_id: activityId,
    user_id: userId,
    type: 'run',
    name: `Run ${index}`,
    start_time: startTime,
    distance_m: totals.distance_m,
    moving_time_s: totals.moving_time_s,
    elapsed_time_s: totals.moving_time_s + 60,
    created_at: startTime,
  };
  return [
    { ...keys.activity(userId, activityId), entity: 'activity', last_actor_id: userId, ...activity },
    { ...keys.feedEntry(orgId, startTime, activityId), entity: FEED_ENTRY_ENTITY, org_id: orgId, ...activity },
    ...PERIODS.map((period) => boardEntryItem(userId, { orgId, scope: {}, period, bucket: bucketOf(period, at) }, totals)),
  ];
}

/**
 * Members as docs/data-model.md lays them out (and their profiles with the membership tie, which
 * include_profile_status, the leaderboard and the feed read), written straight to the table with
 * BatchWriteItem in parallel chunks: what members-add would write, without paying for ten thousand
 * API calls. A quarter of them share each level; every active member has one activity this period
 * (activityItems), so the feed and the leaderboard have a page to read at every size.
 */
async function seedMembers(client: DocumentClient, table: string, orgId: string, count: number, headCoachId: string): Promise<void> {
  const items: Record<string, unknown>[] = [];
  const at = now();
  for (let index = 0; index < count; index += 1) {
    const userId = newId('usr');
    const active = index % 10 !== 9;
    const totals: PeriodTotals = { distance_m: 1_000 + ((index * 37) % 20_000), moving_time_s: 300 + ((index * 13) % 6_000), count: 1 };
    items.push({
      pk: `ORG#${orgId}`,
      sk: `MEMBER#${userId}`,
      entity: 'member',
      org_id: orgId,
      user_id: userId,
      display_name: `Member ${index}`,
      status: active ? 'active' : 'inactive',
      consent: 'accepted',
      member_level: LEVELS[index % LEVELS.length],
      labels: index % 3 === 0 ? ['marathon'] : [],
      joined_at: '2025-01-01T00:00:00Z',
      user_pk: `USER#${userId}`,
      user_sk: `ORG#${orgId}#MEMBER`,
    });
    items.push({
      pk: `USER#${userId}`,
      sk: 'PROFILE',
      entity: 'user',
      user_id: userId,
      display_name: `Member ${index}`,
      bio: 'Runner',
      gender: 'female',
      connections: { strava: index % 2 === 0 },
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      // The membership tie members-add writes on the profile in the same transaction, as the athlete accepted it.
      ...memberTieAttributes(orgId, {
        ...acceptedInvitation(headCoachId, '2025-01-01T00:00:00Z'),
        status: active ? 'active' : 'inactive',
        head_coach_user_id: headCoachId,
      }),
      ...(active ? totalsAttributes(at, totals) : {}),
    });
    if (active) items.push(...activityItems(orgId, userId, at, index, totals));
  }
  await batchWrite(client, table, items);
}

/**
 * An organization created through the API (the scenario's coach at its head) and `members` members
 * seeded straight into the table; returns its id. The one way the bench builds a big club: the scale
 * rows and the concurrency run (bench/concurrency.ts) both use it.
 */
export async function seedOrganization(
  scenario: ScenarioRun,
  tableName: string,
  dynamoDbEndpoint: string,
  members: number,
): Promise<string> {
  const created = await scenario.run({
    route: 'organizations-create',
    as: 'app',
    request: (w) => ({ body: { name: `Scale Club ${members} ${w.unique()}`, head_coach_user_id: w.coachId } }),
    expect: 201,
  });
  const orgId = (created.invoked.response.body as { organization: { org_id: string } }).organization.org_id;
  // The head coach accepts, as in the scenario: until then the athletes are strangers to them (privacy.md §8).
  await scenario.run({
    route: 'memberships-answer',
    as: 'coach',
    request: () => ({ params: { org_id: orgId }, body: { consent: 'accepted' } }),
    expect: 200,
  });
  const seeder = createDocumentClient(dynamoDbEndpoint);
  try {
    await seedMembers(seeder, tableName, orgId, members, scenario.world.coachId);
  } finally {
    seeder.destroy();
  }
  return orgId;
}

/**
 * One organization per size (created through the API, the scenario's coach at its head), seeded,
 * then every scale case that exists read `runs` times as that coach: DynamoDB calls and time per page.
 * Seeding writes thousands of stream records: stop the stream consumers first.
 */
export async function measureScale(
  scenario: ScenarioRun,
  tableName: string,
  dynamoDbEndpoint: string,
  runs: number,
  sizes: readonly number[] = SCALE_SIZES,
): Promise<ScaleRow[]> {
  const existing = SCALE_CASES.filter((scaleCase) => routeFor(scaleCase));
  const rows: ScaleRow[] = [];
  const orgs = new Map<number, string>();
  if (existing.length > 0) for (const size of sizes) orgs.set(size, await seedOrganization(scenario, tableName, dynamoDbEndpoint, size));
  for (const scaleCase of SCALE_CASES) {
    const route = routeFor(scaleCase);
    for (const size of sizes) {
      if (!route) {
        rows.push({ label: scaleCase.label, members: size });
        continue;
      }
      const step = {
        route: route.name,
        as: 'coach' as const,
        request: () => ({ params: { org_id: orgs.get(size) ?? '' }, query: scaleCase.query }),
        expect: 200,
      };
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof invoke>> | undefined;
      for (let run = 0; run < runs; run += 1) {
        last = await invoke(benchRequest(scenario.world, step));
        if (last.handler) times.push(last.handler.wallMs);
      }
      const sums = totals(last?.handler?.invocation.calls ?? []);
      rows.push({
        label: scaleCase.label,
        route: route.name,
        members: size,
        status: last?.response.status ?? 0,
        calls: sums.calls,
        readUnits: sums.readUnits,
        readUsdPerMillion: sums.readUnits * PRICES.dynamoDbPerMillionReadRequestUnits,
        items: (last?.handler?.invocation.calls ?? []).reduce((sum, call) => sum + call.items, 0),
        pageMs: median(times),
      });
    }
  }
  return rows;
}
