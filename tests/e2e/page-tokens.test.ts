import { queryFingerprint } from '../../lib/http/page-token';
import { bearer } from '../support/http';
import { accept, createOrgCast, type OrgCast } from '../support/org-fixture';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Page tokens over HTTP on every paged route (api.md "Lists", "Page tokens are opaque"; ADR 0010):
 * paging walks every item once; a token reveals no table keys; a tampered, forged, foreign or garbage
 * token is a 400 naming `next_token`, never a 500 and never a page of something else.
 */
let stack: TestStack;
let cast: OrgCast;
let otherOrgId: string;
const auth: Record<string, Record<string, string>> = {};

interface Listing {
  readonly name: string;
  /** The list's path with `limit=1`, in the organization or of the user the fixture filled. */
  readonly path: () => string;
  /** The same list for another org, user or filter: a token of `path` is foreign there. */
  readonly foreign: readonly (() => string)[];
  /** The item array's key in the response. */
  readonly items: string;
  /** The fingerprint the route computes, for forging an old-format token that matches it. */
  readonly fingerprint: () => string;
  /** A key of this list's partition, in the table's layout, for the forgeries. */
  readonly key: () => Record<string, string>;
}

const orgPath = (orgId: string, rest: string) => `/api/v1/organizations/${orgId}/${rest}`;

const LISTINGS: readonly Listing[] = [
  {
    name: 'members',
    path: () => orgPath(cast.orgId, 'members?limit=1'),
    foreign: [() => orgPath(otherOrgId, 'members?limit=1'), () => orgPath(cast.orgId, 'members?limit=1&status=active')],
    items: 'members',
    fingerprint: () => queryFingerprint({ list: 'members', org_id: cast.orgId }),
    key: () => ({ pk: `ORG#${cast.orgId}`, sk: `MEMBER#${cast.fellow}` }),
  },
  {
    name: 'groups',
    path: () => orgPath(cast.orgId, 'groups?limit=1'),
    foreign: [() => orgPath(otherOrgId, 'groups?limit=1')],
    items: 'groups',
    fingerprint: () => queryFingerprint({ list: 'groups', org_id: cast.orgId }),
    key: () => ({ pk: `ORG#${cast.orgId}`, sk: 'GROUP#grp_000000000000000000000' }),
  },
  {
    name: 'feed',
    path: () => orgPath(cast.orgId, 'feed?limit=1'),
    foreign: [() => orgPath(otherOrgId, 'feed?limit=1')],
    items: 'activities',
    fingerprint: () => queryFingerprint({ list: 'feed', org_id: cast.orgId }),
    key: () => ({ pk: `FEED#${cast.orgId}`, sk: '2026-01-01T00:00:00.000Z#act_x' }),
  },
  {
    name: 'audit logs',
    path: () => orgPath(cast.orgId, 'audit-logs?limit=1'),
    foreign: [() => orgPath(otherOrgId, 'audit-logs?limit=1'), () => orgPath(cast.orgId, 'audit-logs?limit=1&event_type=member_added')],
    items: 'logs',
    fingerprint: () => queryFingerprint({ list: 'audit', org_id: cast.orgId }),
    key: () => ({ pk: `ORG#${cast.orgId}`, sk: 'AUDIT#2026-01-01T00:00:00Z#1#x' }),
  },
  {
    name: 'audit logs of one type (the by-event-type index)',
    path: () => orgPath(cast.orgId, 'audit-logs?limit=1&event_type=member_added'),
    foreign: [() => orgPath(cast.orgId, 'audit-logs?limit=1'), () => orgPath(otherOrgId, 'audit-logs?limit=1&event_type=member_added')],
    items: 'logs',
    fingerprint: () => queryFingerprint({ list: 'audit', org_id: cast.orgId, event_type: 'member_added' }),
    key: () => ({ pk: `ORG#${cast.orgId}`, sk: 'AUDIT#x', type_pk: `ORG#${cast.orgId}#member_added`, type_sk: 'x' }),
  },
  {
    name: 'activities',
    path: () => `/api/v1/users/${cast.athlete}/activities?limit=1`,
    foreign: [() => `/api/v1/users/${cast.fellow}/activities?limit=1`],
    items: 'activities',
    fingerprint: () => queryFingerprint({ route: 'activities-list', user_id: cast.athlete }),
    key: () => ({ pk: `USER#${cast.athlete}`, sk: 'ACT#x' }),
  },
];

/** The caller every list is read as: the head coach (of both organizations); a fellow athlete for activities. */
const headersFor = (listing: Listing) => (listing.name === 'activities' ? auth[cast.fellow] : auth[cast.headCoach]);

async function list(listing: Listing, path: string, token?: string) {
  const url = token === undefined ? path : `${path}&next_token=${encodeURIComponent(token)}`;
  return stack.http.get<Record<string, unknown> & { next_token?: string }>(url, { headers: headersFor(listing) });
}

async function firstToken(listing: Listing): Promise<string> {
  const page = await list(listing, listing.path());
  expect(page.status).toBe(200);
  const token = page.body?.next_token;
  if (token === undefined) throw new Error(`${listing.name}: the fixture has a single page`);
  return token;
}

const REFUSED = { code: 'validation_error', details: [{ path: 'next_token' }] };
const b64json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

async function activityBy(userId: string, minutesAgo: number): Promise<void> {
  const start = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const body = { type: 'run', name: 'Easy', start_time: start, distance_m: 5000, moving_time_s: 1500, elapsed_time_s: 1560 };
  const response = await stack.http.post(`/api/v1/users/${userId}/activities`, body, { headers: auth[userId] });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  stack = await startTestStack();
  cast = await createOrgCast(stack);
  for (const user of [cast.headCoach, cast.athlete, cast.fellow]) auth[user] = bearer(await stack.token(user));
  const other = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `Other Club ${cast.orgId}`, head_coach_user_id: cast.headCoach },
    { headers: { 'X-API-Key': cast.appKey } },
  );
  otherOrgId = other.body?.organization.org_id ?? '';
  await accept(stack, otherOrgId, cast.headCoach);
  for (const name of ['Tempo', 'Long run']) {
    expect((await stack.http.post(orgPath(cast.orgId, 'groups'), { name }, { headers: auth[cast.headCoach] })).status).toBe(201);
  }
  for (const [user, minutes] of [
    [cast.athlete, 30],
    [cast.athlete, 20],
    [cast.fellow, 10],
    [cast.fellow, 5],
  ] as const) {
    await activityBy(user, minutes);
  }
  await stack.drainStreams();
});

afterAll(async () => {
  await stack?.stop();
});

describe.each(LISTINGS)('$name', (listing) => {
  it('pages through every item once with limit=1', async () => {
    const whole = await list(listing, listing.path().replace('limit=1', 'limit=100'));
    const all = whole.body?.[listing.items] as unknown[];
    expect(all.length).toBeGreaterThan(1);
    const seen: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await list(listing, listing.path(), token);
      expect(page.status).toBe(200);
      seen.push(...(page.body?.[listing.items] as unknown[]));
      token = page.body?.next_token;
    } while (token !== undefined);
    expect(seen).toEqual(all);
  });

  it('hands out a token that reveals no key, id or key name', async () => {
    const token = await firstToken(listing);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    // Four characters or more: random ciphertext bytes spell a given two-letter string (say `pk`) in
    // about one token in 600, a given four-letter one in about one in 40 million.
    for (const leak of ['ORG#', 'USER#', 'FEED#', 'MEMBER#', 'AUDIT#', 'GROUP#', 'ACT#', '"pk"', '"sk"', 'org_', 'usr_', 'act_', 'grp_']) {
      expect(decoded).not.toContain(leak);
    }
  });

  it('refuses the token with one character changed', async () => {
    const token = await firstToken(listing);
    const middle = Math.floor(token.length / 2);
    const flipped = `${token.slice(0, middle)}${token[middle] === 'B' ? 'C' : 'B'}${token.slice(middle + 1)}`;
    const response = await list(listing, listing.path(), flipped);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(REFUSED);
  });

  it('refuses a forged token in the old layout, with the fingerprint this query computes', async () => {
    for (const forged of [b64json({ k: listing.key(), q: listing.fingerprint() }), b64json(listing.key())]) {
      const response = await list(listing, listing.path(), forged);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject(REFUSED);
    }
  });

  it('refuses its token on another organization, user or filter', async () => {
    const token = await firstToken(listing);
    for (const foreign of listing.foreign) {
      const response = await list(listing, foreign(), token);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject(REFUSED);
    }
  });

  it.each([
    ['garbage', 'garbage'],
    ['non-base64 characters', '%%$$!!..'],
    ['the longest token the schema takes', 'A'.repeat(2048)],
    ['longer than that', 'A'.repeat(5000)],
    ['empty', ''],
  ])('refuses %s', async (_case, garbage) => {
    const response = await list(listing, listing.path(), garbage);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_error' });
  });
});
