import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ROUTES, type RouteDefinition } from '../functions/manifest';
import { createDocumentClient, type DocumentClient } from '../lib/db/client';
import { newId } from '../lib/ids';
import { acceptedInvitation, memberTieAttributes } from '../lib/repositories/profile-ties';
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
}

/** Every tenth seeded member is inactive (seedMembers). */
const activeSeeded = (members: number): number => members - Math.floor(members / 10);

/** Organization reads at scale; each is measured on every size, or reported as not yet built. */
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
  { label: 'feed, first page', method: 'GET', path: '/api/v1/organizations/{org_id}/feed', query: {} },
  {
    label: 'leaderboard, distance this month',
    method: 'GET',
    path: '/api/v1/organizations/{org_id}/leaderboard',
    query: { metric: 'distance', period: 'month' },
    // Issue 5's budget: ⌈N/100⌉ profile batches for N active members, plus the roster Query pages (the
    // members and the organization item, 1,000 per page: docs/data-model.md #16).
    designedCalls: (members) => Math.ceil(activeSeeded(members) / 100) + Math.floor((members + 1) / 1000) + 1,
  },
];

export interface ScaleRow {
  readonly label: string;
  readonly route?: string;
  readonly members: number;
  /** Undefined when the route does not exist yet. */
  readonly calls?: number;
  readonly readUnits?: number;
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
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      let pending: Record<string, unknown>[] | undefined = (chunks[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Members as docs/data-model.md lays them out (and their profiles with the membership tie, which
 * include_profile_status, the leaderboard and the feed read), written straight to the table with BatchWriteItem in parallel chunks: what members-add
 * would write, without paying for ten thousand API calls. A quarter of them share each level.
 */
async function seedMembers(client: DocumentClient, table: string, orgId: string, count: number, headCoachId: string): Promise<void> {
  const items: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const userId = newId('usr');
    items.push({
      pk: `ORG#${orgId}`,
      sk: `MEMBER#${userId}`,
      entity: 'member',
      org_id: orgId,
      user_id: userId,
      display_name: `Member ${index}`,
      status: index % 10 === 9 ? 'inactive' : 'active',
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
        status: index % 10 === 9 ? 'inactive' : 'active',
        head_coach_user_id: headCoachId,
      }),
    });
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
        items: (last?.handler?.invocation.calls ?? []).reduce((sum, call) => sum + call.items, 0),
        pageMs: median(times),
      });
    }
  }
  return rows;
}
