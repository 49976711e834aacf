/**
 * The designed minimum of DynamoDB work per function, for the scenario's representative request:
 * which calls, and for reads whether they must be strongly consistent. From docs/data-model.md
 * ("Access patterns", cited by number) where it covers the request; where it is silent, the least
 * the access allows, with the reason.
 *
 * Consistency rule (issue: "eventually consistent wherever correctness allows, never for privacy
 * settings or authorization facts"): `strong` reads carry settings or authorization facts, `eventual`
 * reads carry display data, `index` reads are on a GSI (which cannot be strongly consistent).
 */
export type Consistency = 'strong' | 'eventual' | 'index';

export interface DesignedCall {
  /** Any of these operations satisfies the call (e.g. a put that a later design turns into a transaction). */
  readonly operations: readonly string[];
  /** For reads. */
  readonly consistency?: Consistency;
  readonly why: string;
}

export interface DesignedWork {
  readonly calls: readonly DesignedCall[];
  /** Where the design comes from. */
  readonly source: string;
}

const get = (consistency: Consistency, why: string): DesignedCall => ({ operations: ['GetItem'], consistency, why });
const query = (consistency: Consistency, why: string): DesignedCall => ({ operations: ['Query'], consistency, why });
const batchGet = (consistency: Consistency, why: string): DesignedCall => ({ operations: ['BatchGetItem'], consistency, why });
const write = (operations: readonly string[], why: string): DesignedCall => ({ operations, why });

/**
 * Both profiles in one consistent BatchGet: the athlete's (settings, profile, ties) and the viewer's
 * (ties) — every relationship fact is mirrored on the profiles (data-model: profile ties).
 */
const profilesAndTies = batchGet(
  'strong',
  'the athlete’s profile (settings, ties) and the viewer’s (ties): privacy settings and relationship facts',
);

export const DESIGNED: Readonly<Record<string, DesignedWork>> = {
  'organizations-create': {
    calls: [
      write(
        ['TransactWriteItems'],
        'head coach exists and gains the head tie on their profile, name marker, head-coach link, organization: one transaction',
      ),
    ],
    source: 'data-model #1',
  },
  'organizations-get': { calls: [get('eventual', 'the organization, for display')], source: 'data-model #2' },
  'openapi-get': { calls: [], source: 'the document is bundled into the function at build time: no table access' },
  'users-create': { calls: [write(['PutItem'], 'the profile, attribute_not_exists')], source: 'data-model #6' },
  'users-erase': {
    calls: [
      get('strong', 'the caller’s profile: its ties name the organizations the job will visit'),
      write(['TransactWriteItems'], 'the erasure job put and the profile deleted, together'),
    ],
    source: 'data-model #29',
  },
  'users-me': { calls: [get('strong', 'the caller’s profile and privacy settings (user exists)')], source: 'data-model #6' },
  'memberships-list': {
    calls: [
      {
        operations: ['BatchGetItem', 'GetItem'],
        consistency: 'strong',
        why: 'the caller’s profile: every tie they hold, with its consent (profile ties)',
      },
      batchGet('eventual', 'the names of those organizations (display data)'),
    ],
    source: 'data-model #21',
  },
  'memberships-answer': {
    calls: [
      batchGet('strong', 'the caller’s profile (their ties here) and the organization (the coaches list entry to mirror), together'),
      write(
        ['TransactWriteItems'],
        'each pending tie’s item, the organization’s mirror and the profile ties, conditioned on still pending',
      ),
    ],
    source:
      'data-model #22 (the scenario accepts; a decline adds, before this transaction and only for pending ties, the member’s groups (#12b: the member item, then a BatchGet of the groups it names, which join this transaction) or the coach’s assignment-index Query (#33) and unassignments, as members-remove / coaches-remove)',
  },
  'users-get': {
    calls: [
      profilesAndTies,
      write(['UpdateItem'], 'access log: the first coach read of the day in this container (ADR 0019; later ones usually none)'),
    ],
    source: 'data-model #6 (batched with the viewer’s profile), profile ties',
  },
  'users-update': {
    calls: [write(['UpdateItem'], 'each field and each privacy key its own path (privacy.<key>), ALL_NEW: no read first')],
    source: 'data-model #6b (profiles are created with an empty privacy map; one written without it gets it first, once)',
  },
  'activities-create': {
    calls: [write(['TransactWriteItems'], 'the activity and its period totals on the profile, in one transaction')],
    // The scenario sends no Idempotency-Key. With one, every POST adds the claim (a PutItem) before its
    // work, and every POST but this one an UpdateItem recording the response after it (data-model #23).
    source: 'data-model items: activity, period totals',
  },
  'activities-list': {
    // Summaries, not whole activities (ADR 0017): a page of 20 is 1 RRU where it was 6.
    calls: [
      profilesAndTies,
      write(['UpdateItem'], 'access log: the first coach read of the day in this container (ADR 0019; later ones usually none)'),
      query('eventual', 'one page of activity summaries, newest first'),
    ],
    source: 'data-model #6, profile ties, #14, ADR 0017',
  },
  'activities-get': {
    calls: [
      get('strong', 'the activity'),
      profilesAndTies,
      write(['UpdateItem'], 'access log: the first coach read of the day in this container (ADR 0019; later ones usually none)'),
    ],
    source: 'data-model #15, #6, profile ties',
  },
  'activities-delete': {
    calls: [
      get('strong', 'the activity: its buckets and amounts to subtract'),
      write(['TransactWriteItems'], 'the activity, attribute_exists, and its totals taken back, together'),
    ],
    source: 'data-model #15, period totals',
  },
  'privacy-preview': {
    calls: [get('strong', 'the owner’s settings'), query('eventual', 'the first activity page (context=activity)')],
    source: 'data-model #6, #14',
  },
  'access-log-list': {
    calls: [
      query('eventual', 'one page of the caller’s access log, newest day first'),
      batchGet('eventual', 'the viewers’ names (display data)'),
    ],
    source: 'data-model #25, ADR 0019',
  },
  'users-export': {
    calls: [
      batchGet('strong', 'the caller’s profile (owner view), which holds their ties with consent: read once for both sections'),
      query('eventual', 'whole activities, 100 a call, until the page is full'),
      batchGet('eventual', 'the names of those organizations'),
      query('eventual', 'the access log, 100 a call'),
      batchGet('eventual', 'the access log viewers’ names'),
    ],
    source: 'data-model #26, ADR 0019',
  },
  'members-view': {
    calls: [
      get('strong', 'the organization: is the caller its coach (authorization)'),
      get('strong', 'the membership (authorization)'),
      profilesAndTies,
      write(['UpdateItem'], 'access log: the first coach read of the day in this container (ADR 0019; later ones usually none)'),
      query('eventual', 'the latest activities, as summaries (20: 1 RRU)'),
    ],
    source: 'data-model #3, #7, #6, profile ties, #14, ADR 0017',
  },
  'organizations-update': {
    calls: [
      get('strong', 'the organization: head coach (authorization) and current settings to merge into'),
      write(['UpdateItem', 'TransactWriteItems'], 'update; a rename is a transaction with the name markers'),
    ],
    source: 'data-model #3, #4',
  },
  'coaches-add': {
    calls: [
      get('strong', 'the organization (authorization)'),
      get('strong', 'the user exists, and their name'),
      write(['TransactWriteItems'], 'coach item and the organization’s coaches list, together'),
    ],
    source: 'data-model #3, #6, coach item (mirrored in the same transaction)',
  },
  'coaches-remove': {
    calls: [
      get('strong', 'the organization: authorization, and the coaches list to edit'),
      query('index', 'the live members assigned to the coach: the members-by-coach index (ADR 0027), not the roster'),
      write(['TransactWriteItems'], 'coach tombstone, the coaches list entry and the profile tie, together: the last write'),
    ],
    source:
      'data-model #3, #11, #33 ("unassign a removed coach\'s members": one TransactWriteItems per assigned member; none in the scenario)',
  },
  'groups-create': {
    calls: [get('strong', 'the organization: coach and plan feature (authorization)'), write(['PutItem'], 'the group')],
    source: 'data-model #3, training group item',
  },
  'groups-list': {
    calls: [get('strong', 'the organization (authorization)'), query('eventual', 'one page of groups')],
    source: 'data-model #3, #12',
  },
  'groups-get': { calls: [get('strong', 'the organization (authorization)'), get('strong', 'the group')], source: 'data-model #3, #13' },
  'groups-update': {
    calls: [get('strong', 'the organization (authorization)'), write(['UpdateItem'], 'the group, returning it')],
    source: 'data-model #3, #13',
  },
  'groups-delete': {
    calls: [
      get('strong', 'the organization (authorization)'),
      write(['UpdateItem', 'DeleteItem'], 'the group (a tombstone naming who deleted it)'),
    ],
    source: 'data-model #3, #13',
  },
  'group-members-add': {
    calls: [
      get('strong', 'the organization (authorization)'),
      write(['TransactWriteItems'], 'the member item, which must be active, records the group as the group gains the user (ADR 0028)'),
      get('strong', 'the group as it now is, for the response (a transaction returns no item)'),
    ],
    source: 'data-model #3, #7, #13',
  },
  'group-members-remove': {
    calls: [
      get('strong', 'the organization (authorization)'),
      write(['TransactWriteItems'], 'the group loses the user as the member item forgets the group (ADR 0028)'),
    ],
    source: 'data-model #3, #13',
  },
  'audit-logs-list': {
    calls: [get('strong', 'the organization (authorization)'), query('eventual', 'one page of audit events, newest first')],
    source: 'data-model #3, #18/#19',
  },
  'leaderboard-get': {
    calls: [
      query('index', 'one page of the board’s index in rank order (the read model, ADR 0013)'),
      batchGet(
        'strong',
        'the organization item (authorization), the viewer’s profile and the page’s athletes’ profiles (settings, name, photo, ties)',
      ),
    ],
    source: 'data-model #16',
  },
  'feed-list': {
    calls: [
      query('eventual', 'one page of the feed, newest first: entries hold summaries (20: 1.5 RRU)'),
      batchGet('strong', 'the organization item (authorization), the viewer’s profile and the page’s owners’ profiles (settings, ties)'),
    ],
    source: 'data-model #17, ADR 0017',
  },
  'members-list': {
    calls: [get('strong', 'the organization: is the caller a coach (authorization)'), query('eventual', 'one page of members')],
    source: 'data-model #3, #8',
  },
  'members-add': {
    calls: [
      get('strong', 'the organization: coach and plan feature (authorization)'),
      get('strong', 'the user exists, and their name for the roster'),
      write(['PutItem', 'TransactWriteItems', 'UpdateItem'], 'the membership, unless already active'),
    ],
    source: 'data-model #3, #6, member item',
  },
  'members-update': {
    calls: [
      get('strong', 'the organization: coach, plan feature and coaches list (authorization, assigned coach)'),
      write(['UpdateItem', 'TransactWriteItems'], 'the membership, if it exists'),
    ],
    source:
      'data-model #3, member item (a status or assignment change is a transaction with the profile tie, then a GetItem of the member: 3 calls)',
  },
  'members-remove': {
    calls: [
      get('strong', 'the organization (authorization)'),
      get('strong', 'the member item: the groups it names (ADR 0028; then one strong BatchGet of those groups, none in the scenario)'),
      write(['TransactWriteItems'], 'the tombstone naming the remover, the profile tie and every group left, together'),
    ],
    source: 'data-model #3, #12b, "remove a member"',
  },
};

/** The authorizer: 0 calls for a key this container has seen within its cache TTL, 1 strong GetItem otherwise. */
export const AUTHORIZER_DESIGNED = {
  cachedAppKey: { calls: [] as DesignedCall[], source: 'data-model #5 (cached per warm container)' },
  coldAppKey: { calls: [get('strong', 'the key’s record by hash')], source: 'data-model #5' },
  bearerToken: { calls: [] as DesignedCall[], source: 'JWT verified against the cached JWKS, no table access' },
} as const;

/** The audit consumer: one conditional PutItem per audited stream record. */
export const AUDIT_DESIGNED_PER_RECORD: DesignedWork = {
  calls: [write(['PutItem'], 'the audit event, attribute_not_exists')],
  source: 'data-model #20',
};

export interface DesignCheck {
  readonly met: boolean;
  readonly problems: readonly string[];
}

/** Compares measured calls with the design: no more calls than designed, each of a designed kind, consistency as designed, no Scan. */
export function checkAgainstDesign(
  calls: readonly { operation: string; consistent: boolean | null; index?: boolean }[],
  design: DesignedWork,
): DesignCheck {
  const problems: string[] = [];
  if (calls.some((call) => call.operation === 'Scan')) problems.push('Scan');
  if (calls.length > design.calls.length) problems.push(`${calls.length} calls, designed ${design.calls.length}`);
  const unmatched = [...design.calls];
  for (const call of calls) {
    const at = unmatched.findIndex(
      (designed) => designed.operations.includes(call.operation) && consistencyFits(call, designed.consistency),
    );
    if (at >= 0) {
      unmatched.splice(at, 1);
      continue;
    }
    const kind = `${call.operation}${call.consistent === null ? '' : call.index ? ' (index)' : call.consistent ? ' (strong)' : ' (eventual)'}`;
    const sameOperation = design.calls.filter((designed) => designed.operations.includes(call.operation));
    if (sameOperation.some((designed) => consistencyFits(call, designed.consistency))) problems.push(`one ${kind} more than designed`);
    else if (sameOperation.length > 0)
      problems.push(`${kind}, designed ${sameOperation.map((designed) => designed.consistency ?? 'any').join(' or ')}`);
    else problems.push(`${kind} not in the design`);
  }
  return { met: problems.length === 0, problems };
}

function consistencyFits(call: { consistent: boolean | null; index?: boolean }, designed: Consistency | undefined): boolean {
  if (designed === undefined || call.consistent === null) return true;
  if (designed === 'index') return call.index === true || call.consistent === false;
  return designed === 'strong' ? call.consistent === true : call.consistent === false;
}

/**
 * The most DynamoDB capacity each route's representative request may consume, in on-demand request
 * units, handler and stream consumers apart: the designed calls above on the scenario's items
 * (a profile and an organization under 4 KB, an activity of ~2.3 KB, a strong read 1 RRU per 4 KB,
 * an eventual one half that, a write 1 WRU per KB, a transactional one twice, each GSI entry its own
 * write). A call count can hold while an item grows past a 4 KB or 1 KB step, or a page reads more
 * than it shows: these catch that. Checked by the bench against what the recorder measures.
 */
export interface DesignedUnits {
  readonly read: number;
  readonly write: number;
  /** Writes of the stream consumers the request triggers (the audit event and its index entry: 2 WRU). */
  readonly streamWrite: number;
  readonly why?: string;
}

const units = (read: number, write = 0, streamWrite = 0, why?: string): DesignedUnits => ({
  read,
  write,
  streamWrite,
  ...(why ? { why } : {}),
});
/** An audited single-item organization write: its authorization read, the item, the audit event with its index entry. */
const auditedWrite = units(1, 1, 2);
/**
 * The leaderboard projector's writes (ADR 0013, data-model #16b), per board the request touches: an
 * entry per period (week, month, year, all), each one item in the four rank indexes (board-by-distance,
 * -time, -count, -pace). A new entry or a delete writes the item and its four index entries (5 WRU);
 * an update that moves the rank values writes the item and deletes and puts each index entry (1 + 4 × 2
 * = 9). A bucket with nothing in it is a delete of an absent item (1). This is the read model's price:
 * a leaderboard page reads ~3.5 RRU at any club size where ranking the roster read ~980 at 1,000 members.
 */
const BOARD_PERIODS = 4;
const boardWrites = (boards: number, entry: 'put' | 'update' | 'delete'): number => boards * BOARD_PERIODS * (entry === 'update' ? 9 : 5);
/** A transaction of two to four items with the audit event: what the items weigh, twice. */
const auditedTransaction = (read: number) => units(read, 12, 2, 'transaction of the items and their mirrors, billed twice');

export const DESIGNED_UNITS: Readonly<Record<string, DesignedUnits>> = {
  'organizations-create': auditedTransaction(0),
  'organizations-get': units(0.5),
  'members-view': units(
    5,
    1,
    0,
    'organization, membership, both profiles: 4 strong reads; the latest 20 activities as summaries, one eventual query (1, ADR 0017)',
  ),
  'organizations-update': auditedWrite,
  'members-add': auditedTransaction(2),
  'members-list': units(1.5),
  'members-update': units(1, 2, 2),
  'members-remove': auditedTransaction(2),
  'coaches-add': auditedTransaction(2),
  'coaches-remove': auditedTransaction(1.5),
  'groups-create': auditedWrite,
  'groups-list': units(1.5),
  'groups-get': units(2),
  'groups-update': auditedWrite,
  'groups-delete': auditedWrite,
  'group-members-add': units(
    2,
    8,
    2 + boardWrites(1, 'put'),
    'the group and the member item in one transaction, billed twice (2 × 2), and the member’s by-user index entry its update rewrites (ADR 0028; DynamoDB Local reports 4 for it in a transaction); the audit event with its index entry (2); the member’s entries on the group’s four period boards (4 × 5, ADR 0013)',
  ),
  'group-members-remove': units(
    1,
    8,
    2 + boardWrites(1, 'delete'),
    'the group and the member item in one transaction, billed twice (2 × 2), and the member’s by-user index entry (ADR 0028; DynamoDB Local reports 4 for it in a transaction); the audit event with its index entry (2); the member’s entries deleted from the group’s four period boards (4 × 5, ADR 0013)',
  ),
  'leaderboard-get': units(
    3.5,
    0,
    0,
    'one page of the board’s rank index (0.5, eventual: an index); one strong BatchGet of the organization, the viewer and the page’s athletes (3 in the scenario’s club): ADR 0013, the same two calls at 10,000 members (scale rows)',
  ),
  'feed-list': units(
    4.5,
    0,
    0,
    'one feed page whose entries hold summaries (20: 1.5, eventual, ADR 0017); the organization, the viewer’s and the page owner’s profiles, strongly (3)',
  ),
  'audit-logs-list': units(2),
  'users-create': units(0, 1),
  'users-erase': units(
    1,
    4,
    7,
    'the profile strongly (1); the job put and the profile delete in one transaction (billed twice); the erasure consumer’s passes over a user who holds nothing else: the job’s cursor and its index entry per step (3 × 2) and its end (1)',
  ),
  'users-me': units(1),
  'memberships-list': units(1.5),
  'memberships-answer': units(
    2,
    12,
    2 + boardWrites(1, 'put'),
    'transaction of the items and their mirrors, billed twice; the audit event (2); an accepted tie puts the athlete’s entries on the organization’s four period boards (4 × 5, ADR 0013)',
  ),
  'users-get': units(2, 1, 0, 'both profiles strongly (2); the access log’s first write of the day (1, ADR 0019)'),
  'access-log-list': units(1),
  'users-export': units(
    10,
    0,
    0,
    'the profile with its ties, strongly (1); the scenario’s 25 whole activities of ~2.3 KB, eventual (7.5); organization names, the access log and its viewers’ names, eventual (0.5 each)',
  ),
  'users-update': units(0, 1),
  'activities-create': units(
    0,
    12,
    1 + boardWrites(1, 'update'),
    'the activity (~2.3 KB: 3), its summary (1) and the profile with its period totals (≤ 2 KB: 2) in one transaction, which AWS bills twice (12; bench/transaction-units.ts); the feed projector’s entry (1); the athlete’s entries on the organization’s four period boards, each moved (4 × 9, ADR 0013)',
  ),
  'activities-list': units(3, 1, 0, 'both profiles strongly (2); one page of 20 activity summaries, eventual (1, ADR 0017)'),
  'activities-get': units(3, 1),
  'activities-delete': units(
    1,
    12,
    1 + boardWrites(2, 'update'),
    'the activity read strongly (1); the activity, its summary and the profile’s totals taken back in one transaction, billed twice (2 × (3 + 1 + 2)); the feed projector’s delete (1); the athlete’s entries on the organization’s and their group’s four period boards, each moved (2 × 4 × 9, ADR 0013)',
  ),
  'privacy-preview': units(
    2.5,
    0,
    0,
    'the owner’s settings, strongly (1); the first page of 20 activity summaries the preview shapes, eventual (1.5, ADR 0017: no longer whole activities)',
  ),
  'openapi-get': units(0),
};

/** Measured capacity against the designed units: a problem for each kind of unit over its design. */
export function checkUnits(measured: { read: number; write: number; streamWrite: number }, design: DesignedUnits): DesignCheck {
  const problems: string[] = [];
  if (measured.read > design.read) problems.push(`${measured.read} RRU, designed ${design.read}`);
  if (measured.write > design.write) problems.push(`${measured.write} WRU, designed ${design.write}`);
  if (measured.streamWrite > design.streamWrite)
    problems.push(`${measured.streamWrite} stream consumer WRU, designed ${design.streamWrite}`);
  return { met: problems.length === 0, problems };
}
