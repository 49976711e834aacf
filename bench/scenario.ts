import { ROUTES, type RouteDefinition } from '../functions/manifest';
import { now } from '../lib/clock';
import { invoke, pathFor, type BenchRequest, type InvokedRequest } from './invoker';
import type { BenchStack, ConsumerInvocation } from './stack';

/**
 * The scripted scenario: a small club built through the API itself (an integration's app key, a head
 * coach, an athlete with a season of activities), then every endpoint called the way its clients
 * call it. Each route has one representative request, the one every per-endpoint number is about
 * (DynamoDB calls and capacity, warm CPU, end-to-end latency, cost).
 */

/** `leaver`: the member who leaves the platform at the end (users-erase), with a token of their own. */
export type Caller = 'app' | 'coach' | 'athlete' | 'leaver' | 'public';

export interface World {
  appKey: string;
  coachId: string;
  athleteId: string;
  /** A member who leaves at the end (members-remove). */
  leaverId: string;
  /** Becomes an assistant coach (coaches-add), removed at the end. */
  assistantId: string;
  groupId: string;
  /** A group made only to be deleted. */
  spareGroupId: string;
  orgId: string;
  tokens: Record<'coach' | 'athlete' | 'leaver', string>;
  activityIds: string[];
  /** Run-unique suffix for names that must be unique (organization names). */
  unique: () => string;
}

export interface RequestSpec {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface Step {
  readonly route: string;
  readonly as: Caller;
  readonly request: (world: World) => RequestSpec;
  readonly expect: number;
  /** Reads what later steps need from the response. */
  readonly after?: (world: World, body: unknown) => void;
  /**
   * Puts what one more run of this request needs in place (an activity to delete), so the request
   * can be repeated for latency. Runs through the API, untimed.
   */
  readonly prepare?: (world: World, run: (step: Step) => Promise<StepResult>) => Promise<RequestSpec | void>;
  /** This request stands for its route in every per-endpoint measurement. */
  readonly representative?: boolean;
}

/**
 * Writes what the API cannot write yet, as the data model lays it out: used only while the route
 * that would do it (`unless`) is missing from the manifest.
 */
export interface SeedStep {
  readonly seed: (world: World, stack: BenchStack) => Promise<void>;
  readonly unless: string;
}

export interface StepResult {
  readonly step: Step;
  readonly invoked: InvokedRequest;
  /** Stream consumer invocations caused by this request (audit). */
  readonly consumers: readonly ConsumerInvocation[];
}

const ACTIVITY_COUNT = 25;
const PAGE = '20';

/**
 * A realistic 10 km run: ten splits, a route polyline and heart-rate data (about 2 KB stored). Started
 * in the last ten minutes, a second apart by index, as an athlete records a run that just ended: its
 * totals move the four current boards (ADR 0029: a bucket that had ended when the run was recorded
 * keeps no counter, so a run dated last year would move the all-time board only). In a run that starts
 * in the first ten minutes of a week, month or year, some move fewer boards than designed.
 */
export function activityBody(index: number): Record<string, unknown> {
  const start = new Date(now().getTime() - 600_000 + index * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    type: 'run',
    name: `Morning run ${index + 1}`,
    start_time: start,
    distance_m: 10_000,
    moving_time_s: 2_820 + index,
    elapsed_time_s: 2_900 + index,
    splits: Array.from({ length: 10 }, (_, km) => ({
      distance_m: 1_000,
      time_s: 275 + ((km * 7 + index) % 20),
      pace_s_per_km: 275 + ((km * 7 + index) % 20),
    })),
    map: { polyline: 'a~l~Fjk~uOwHJy@P'.repeat(90), start_latlng: [40.7128, -74.006], end_latlng: [40.7306, -73.9866] },
    avg_heart_rate: 152,
    max_heart_rate: 178,
    elevation_gain_m: 64,
    avg_cadence: 172,
  };
}

const idOf = (body: unknown, ...path: string[]): string => {
  let value: unknown = body;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'string') throw new Error(`response has no ${path.join('.')}`);
  return value;
};

/**
 * Steps in order. Steps for routes the manifest does not have (yet) are skipped, so the scenario can
 * name endpoints before they exist; a route the manifest has and no step names is reported as
 * "no scenario" (and fails tests/infra/budgets.test.ts).
 */
export const STEPS: readonly (Step | SeedStep)[] = [
  // --- the club, built through the API
  {
    route: 'users-create',
    as: 'app',
    request: () => ({ body: { display_name: 'Head Coach', bio: 'Coach of the Summit club', gender: 'female' } }),
    expect: 201,
    after: (w, b) => void (w.coachId = idOf(b, 'user', 'user_id')),
  },
  {
    route: 'users-create',
    as: 'app',
    request: () => ({ body: { display_name: 'Alex Athlete', bio: 'Marathoner', gender: 'male' } }),
    expect: 201,
    after: (w, b) => void (w.athleteId = idOf(b, 'user', 'user_id')),
    representative: true,
  },
  {
    route: 'organizations-create',
    as: 'app',
    request: (w) => ({
      body: { name: `Summit Running Club ${w.unique()}`, description: 'Elite distance running program', head_coach_user_id: w.coachId },
    }),
    expect: 201,
    after: (w, b) => void (w.orgId = idOf(b, 'organization', 'org_id')),
    representative: true,
  },
  {
    route: 'members-add',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { user_id: w.athleteId, member_level: 'intermediate', labels: ['marathon'] } }),
    expect: 201,
    prepare: async (w, run) => ({
      params: { org_id: w.orgId },
      body: { user_id: await newUser(run, 'Another Athlete'), member_level: 'beginner' },
    }),
    representative: true,
  },
  // Both answer their ties (privacy.md §8): until they accept, the coach is the athlete's coach in name only.
  {
    route: 'memberships-answer',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { consent: 'accepted' } }),
    expect: 200,
  },
  { route: 'memberships-list', as: 'athlete', request: () => ({}), expect: 200, representative: true },
  {
    route: 'memberships-answer',
    as: 'athlete',
    request: (w) => ({ params: { org_id: w.orgId }, body: { consent: 'accepted' } }),
    expect: 200,
    // Another organization invites the athlete, so the answer can be given again.
    prepare: async (w, run) => {
      const org = await run({
        route: 'organizations-create',
        as: 'app',
        request: () => ({ body: { name: `Invitation Club ${w.unique()}`, head_coach_user_id: w.coachId } }),
        expect: 201,
      });
      const orgId = idOf(org.invoked.response.body, 'organization', 'org_id');
      await run({
        route: 'members-add',
        as: 'coach',
        request: () => ({ params: { org_id: orgId }, body: { user_id: w.athleteId } }),
        expect: 201,
      });
      return { params: { org_id: orgId }, body: { consent: 'accepted' } };
    },
    representative: true,
  },
  {
    route: 'users-create',
    as: 'app',
    request: () => ({ body: { display_name: 'Lee Leaver' } }),
    expect: 201,
    after: (w, b) => void (w.leaverId = idOf(b, 'user', 'user_id')),
  },
  { route: 'members-add', as: 'coach', request: (w) => ({ params: { org_id: w.orgId }, body: { user_id: w.leaverId } }), expect: 201 },
  { route: 'organizations-get', as: 'public', request: (w) => ({ params: { org_id: w.orgId } }), expect: 200, representative: true },
  { route: 'openapi-get', as: 'public', request: () => ({}), expect: 200, representative: true },
  { route: 'users-me', as: 'athlete', request: () => ({}), expect: 200, representative: true },
  {
    route: 'users-update',
    as: 'athlete',
    request: (w) => ({
      params: { user_id: w.athleteId },
      body: { bio: 'Marathoner, 2:59 PB', privacy: { share_activity_with_coach: true, share_pace_data: true } },
    }),
    expect: 200,
    representative: true,
  },
  ...Array.from(
    { length: ACTIVITY_COUNT },
    (_, index): Step => ({
      route: 'activities-create',
      as: 'athlete',
      request: (w) => ({ params: { user_id: w.athleteId }, body: activityBody(index) }),
      expect: 201,
      after: (w, b) => void w.activityIds.push(idOf(b, 'activity', 'activity_id')),
      representative: index === ACTIVITY_COUNT - 1,
    }),
  ),
  // --- reads, as a coach looks at an athlete
  { route: 'users-get', as: 'coach', request: (w) => ({ params: { user_id: w.athleteId } }), expect: 200, representative: true },
  {
    route: 'activities-list',
    as: 'coach',
    request: (w) => ({ params: { user_id: w.athleteId }, query: { limit: PAGE } }),
    expect: 200,
    representative: true,
  },
  // --- the athlete's own view of who read them, and their export
  { route: 'access-log-list', as: 'athlete', request: () => ({ query: { limit: PAGE } }), expect: 200, representative: true },
  { route: 'users-export', as: 'athlete', request: () => ({}), expect: 200, representative: true },
  {
    route: 'organizations-update',
    as: 'coach',
    request: (w) => ({
      params: { org_id: w.orgId },
      body: { description: 'Distance running, all levels', settings: { timezone: 'America/New_York', default_units: 'metric' } },
    }),
    expect: 200,
    representative: true,
  },
  {
    route: 'users-create',
    as: 'app',
    request: () => ({ body: { display_name: 'Ash Assistant' } }),
    expect: 201,
    after: (w, b) => void (w.assistantId = idOf(b, 'user', 'user_id')),
  },
  {
    route: 'coaches-add',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { user_id: w.assistantId, role: 'assistant_coach' } }),
    expect: 201,
    prepare: async (w, run) => ({
      params: { org_id: w.orgId },
      body: { user_id: await newUser(run, 'Another Assistant'), role: 'assistant_coach' },
    }),
    representative: true,
  },
  {
    route: 'groups-create',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { name: `Marathon group ${w.unique()}`, description: 'Sub-3 build' } }),
    expect: 201,
    after: (w, b) => void (w.groupId ||= idOf(b, 'group', 'group_id')),
    representative: true,
  },
  {
    route: 'groups-create',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { name: `Spare group ${w.unique()}` } }),
    expect: 201,
    after: (w, b) => void (w.spareGroupId = idOf(b, 'group', 'group_id')),
  },
  {
    route: 'group-members-add',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, group_id: w.groupId }, body: { user_id: w.athleteId } }),
    expect: 201,
    prepare: async (w, run) => ({ params: { org_id: w.orgId, group_id: await newGroup(run) }, body: { user_id: w.athleteId } }),
    representative: true,
  },
  { route: 'groups-list', as: 'coach', request: (w) => ({ params: { org_id: w.orgId } }), expect: 200, representative: true },
  {
    route: 'groups-get',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, group_id: w.groupId } }),
    expect: 200,
    representative: true,
  },
  {
    route: 'groups-update',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, group_id: w.groupId }, body: { description: 'Sub-3 marathon build, Tuesdays' } }),
    expect: 200,
    representative: true,
  },
  { route: 'members-list', as: 'coach', request: (w) => ({ params: { org_id: w.orgId } }), expect: 200, representative: true },
  {
    route: 'members-update',
    as: 'coach',
    request: (w) => ({
      params: { org_id: w.orgId, user_id: w.athleteId },
      body: { member_level: 'advanced', labels: ['marathon', 'sub-3'] },
    }),
    expect: 200,
    representative: true,
  },
  {
    route: 'members-view',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, user_id: w.athleteId } }),
    expect: 200,
    representative: true,
  },
  {
    route: 'activities-get',
    as: 'coach',
    request: (w) => ({ params: { user_id: w.athleteId, activity_id: w.activityIds[0] ?? '' } }),
    expect: 200,
    representative: true,
  },
  {
    route: 'privacy-preview',
    as: 'athlete',
    request: (w) => ({ params: { user_id: w.athleteId }, query: { as: 'coach', context: 'activity' } }),
    expect: 200,
    representative: true,
  },
  {
    route: 'activities-delete',
    as: 'athlete',
    request: (w) => ({ params: { user_id: w.athleteId, activity_id: w.activityIds.pop() ?? '' } }),
    expect: 200,
    prepare: async (w, run) => {
      const created = await run({
        route: 'activities-create',
        as: 'athlete',
        // After the scenario's 25 runs, and in the past (start_time may be at most a day ahead of now).
        request: () => ({ params: { user_id: w.athleteId }, body: activityBody(300) }),
        expect: 201,
      });
      return { params: { user_id: w.athleteId, activity_id: idOf(created.invoked.response.body, 'activity', 'activity_id') } };
    },
    representative: true,
  },
  {
    route: 'leaderboard-get',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, query: { metric: 'distance', period: 'all' } }),
    expect: 200,
    representative: true,
  },
  {
    route: 'feed-list',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, query: { limit: PAGE } }),
    expect: 200,
    representative: true,
  },
  { route: 'audit-logs-list', as: 'coach', request: (w) => ({ params: { org_id: w.orgId } }), expect: 200, representative: true },
  {
    route: 'group-members-remove',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, group_id: w.groupId, user_id: w.athleteId } }),
    expect: 200,
    prepare: async (w, run) => {
      const groupId = await newGroup(run);
      await run({
        route: 'group-members-add',
        as: 'coach',
        request: () => ({ params: { org_id: w.orgId, group_id: groupId }, body: { user_id: w.athleteId } }),
        expect: 201,
      });
      return { params: { org_id: w.orgId, group_id: groupId, user_id: w.athleteId } };
    },
    representative: true,
  },
  {
    route: 'groups-delete',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, group_id: w.spareGroupId } }),
    expect: 200,
    prepare: async (w, run) => ({ params: { org_id: w.orgId, group_id: await newGroup(run) } }),
    representative: true,
  },
  {
    route: 'coaches-remove',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, user_id: w.assistantId } }),
    expect: 200,
    prepare: async (w, run) => {
      const userId = await newUser(run, 'Brief Assistant');
      await run({
        route: 'coaches-add',
        as: 'coach',
        request: () => ({ params: { org_id: w.orgId }, body: { user_id: userId, role: 'assistant_coach' } }),
        expect: 201,
      });
      return { params: { org_id: w.orgId, user_id: userId } };
    },
    representative: true,
  },
  {
    route: 'members-remove',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId, user_id: w.leaverId } }),
    expect: 200,
    prepare: async (w, run) => {
      const userId = await newUser(run, 'Short Stay');
      await run({
        route: 'members-add',
        as: 'coach',
        request: () => ({ params: { org_id: w.orgId }, body: { user_id: userId } }),
        expect: 201,
      });
      return { params: { org_id: w.orgId, user_id: userId } };
    },
    representative: true,
  },
  // Last: the leaver erases their account (ADR 0020); the request starts the job, its passes are stream work.
  { route: 'users-erase', as: 'leaver', request: () => ({}), expect: 200, representative: true },
];

/** A new training group through the API. */
async function newGroup(run: (step: Step) => Promise<StepResult>): Promise<string> {
  const created = await run({
    route: 'groups-create',
    as: 'coach',
    request: (w) => ({ params: { org_id: w.orgId }, body: { name: `Group ${w.unique()}` } }),
    expect: 201,
  });
  return idOf(created.invoked.response.body, 'group', 'group_id');
}

/** A new user through the API (for requests that need a fresh one each time they repeat). */
async function newUser(run: (step: Step) => Promise<StepResult>, name: string): Promise<string> {
  const created = await run({ route: 'users-create', as: 'app', request: () => ({ body: { display_name: name } }), expect: 201 });
  return idOf(created.invoked.response.body, 'user', 'user_id');
}

const routesByName = new Map(ROUTES.map((route) => [route.name, route]));

export function routeOf(step: Step): RouteDefinition | undefined {
  return routesByName.get(step.route);
}

function headersFor(world: World, caller: Caller): Record<string, string> {
  switch (caller) {
    case 'app':
      return { 'X-API-Key': world.appKey };
    case 'coach':
    case 'athlete':
    case 'leaver':
      return { Authorization: `Bearer ${world.tokens[caller]}` };
    default:
      return {};
  }
}

export function benchRequest(world: World, step: Step, spec: RequestSpec = step.request(world)): BenchRequest {
  const route = routeOf(step);
  if (!route) throw new Error(`no route ${step.route}`);
  return {
    method: route.method,
    path: pathFor(route, spec.params),
    ...(spec.query ? { query: spec.query } : {}),
    headers: headersFor(world, step.as),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
  };
}

export interface ScenarioRun {
  readonly world: World;
  readonly results: readonly StepResult[];
  /** Route name → its representative step's result. */
  readonly representative: ReadonlyMap<string, StepResult>;
  /** Manifest routes no step covers. */
  readonly uncovered: readonly string[];
  /** Runs one more step against the same world (for repetitions). */
  run(step: Step, spec?: RequestSpec): Promise<StepResult>;
}

/** Builds the world through the API and runs every step whose route exists; a wrong status throws. */
export async function runScenario(stack: BenchStack): Promise<ScenarioRun> {
  let counter = 0;
  const world: World = {
    appKey: await stack.appKey('bench integration'),
    coachId: '',
    athleteId: '',
    leaverId: '',
    assistantId: '',
    groupId: '',
    spareGroupId: '',
    orgId: '',
    tokens: { coach: '', athlete: '', leaver: '' },
    activityIds: [],
    unique: () => `${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`,
  };

  const run = async (step: Step, spec?: RequestSpec): Promise<StepResult> => {
    const request = benchRequest(world, step, spec);
    const { result: invoked, consumers } = await stack.collectConsumers(() => invoke(request));
    if (invoked.response.status !== step.expect) {
      throw new Error(
        `${step.route} (${request.method} ${request.path}) answered ${invoked.response.status}, expected ${step.expect}: ${JSON.stringify(invoked.response.body)}`,
      );
    }
    step.after?.(world, invoked.response.body);
    return { step, invoked, consumers };
  };

  const results: StepResult[] = [];
  const representative = new Map<string, StepResult>();
  for (const step of STEPS) {
    if ('seed' in step) {
      // Drained here, so its stream records are not counted as the next request's audit work.
      if (!routesByName.has(step.unless)) await stack.collectConsumers(() => step.seed(world, stack));
      continue;
    }
    if (!routeOf(step)) continue;
    const result = await run(step);
    results.push(result);
    if (step.representative) representative.set(step.route, result);
    // Tokens need the user ids the first steps create.
    if (world.coachId && !world.tokens.coach) world.tokens.coach = await stack.token(world.coachId, { name: 'Head Coach' });
    if (world.athleteId && !world.tokens.athlete) world.tokens.athlete = await stack.token(world.athleteId, { name: 'Alex Athlete' });
    if (world.leaverId && !world.tokens.leaver) world.tokens.leaver = await stack.token(world.leaverId, { name: 'Lee Leaver' });
  }
  const uncovered = ROUTES.filter((route) => !representative.has(route.name)).map((route) => route.name);
  return { world, results, representative, uncovered, run };
}
