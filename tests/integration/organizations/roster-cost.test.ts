import { createDocumentClient, documentClient } from '../../../lib/db/client';
import { CoachRepository } from '../../../lib/repositories/coach-repository';
import { OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { ConsentRepository } from '../../../lib/repositories/consent-repository';
import { acceptedInvitation, memberTieAttributes } from '../../../lib/repositories/profile-ties';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { countCalls } from '../../support/call-counter';
import { userRequest } from '../../support/handler-request';
import { createTestTable, putItems, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * Listing a 1,000-member organization with include_profile_status, page by page, through the
 * handler's own path: each page costs one roster Query and ⌈(n + 2)/100⌉ BatchGetItem for its n
 * members (their profiles, plus the organization item that authorizes the page and the lister's
 * profile with their ties), and nothing else: no GetItem, no index Query, never a Scan.
 */
const MEMBERS = 1000;
let table: string;
const orgId = 'org_costcheck01';
const headCoach = 'usr_costhead';
const coach = 'usr_costcoach';

type ListHandle = (input: unknown) => Promise<{ status: number; body: unknown }>;
let handle: ListHandle;

beforeAll(async () => {
  table = await createTestTable('roster-cost');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  // The list handlers seal their page tokens (ADR 0010); any secret will do here.
  process.env.PAGE_TOKEN_SECRET ??= 'cost-test-page-token-secret';
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  const users = new UserRepository(seedClient, table);
  await users.create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await users.create({ user_id: coach, display_name: 'Coach' }, 'test');
  await new OrganizationRepository(seedClient, table).create(
    { org_id: orgId, org_name: 'Big Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
    'test',
  );
  await new CoachRepository(seedClient, table).add(orgId, { user_id: coach, name: 'Coach', role: 'assistant_coach' }, 'test');
  // Both accept their roles (privacy.md §8), as they would through PUT /users/me/memberships/{org_id}.
  await new ConsentRepository(seedClient, table).answer(headCoach, orgId, 'accepted');
  await new ConsentRepository(seedClient, table).answer(coach, orgId, 'accepted');
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const userId = `usr_m${String(i).padStart(5, '0')}`;
    items.push({
      pk: `USER#${userId}`,
      sk: 'PROFILE',
      entity: 'user',
      user_id: userId,
      display_name: `Member ${i}`,
      connections: { strava: i % 2 === 0 },
      ...memberTieAttributes(orgId, {
        ...acceptedInvitation(headCoach, '2026-01-01T00:00:00Z'),
        status: 'active',
        head_coach_user_id: headCoach,
      }),
    });
    items.push({
      pk: `ORG#${orgId}`,
      sk: `MEMBER#${userId}`,
      entity: 'member',
      org_id: orgId,
      user_id: userId,
      status: 'active',
      consent: 'accepted',
      labels: [],
      joined_at: '2026-01-01T00:00:00Z',
      user_pk: `USER#${userId}`,
      user_sk: `ORG#${orgId}#MEMBER`,
    });
  }
  await putItems(table, items);
  seedClient.destroy();
  ({ handle } = (await import('../../../functions/members-list/handler')) as unknown as { handle: ListHandle });
});

let counter: ReturnType<typeof countCalls>;

async function listAll(viewer: string, limit: number) {
  counter ??= countCalls(documentClient());
  counter.reset();
  const seen = new Set<string>();
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const response = await handle(
      userRequest(viewer, { org_id: orgId }, { limit, include_profile_status: true, ...(token ? { next_token: token } : {}) }),
    );
    expect(response.status).toBe(200);
    const body = response.body as {
      members: { user_id: string; profile_status: { has_strava: boolean } }[];
      count: number;
      next_token?: string;
    };
    for (const member of body.members) {
      expect(seen.has(member.user_id)).toBe(false);
      seen.add(member.user_id);
      expect(member.profile_status.has_strava).toBe(Number(member.user_id.slice(5)) % 2 === 0);
    }
    pageSizes.push(body.count);
    token = body.next_token;
  } while (token);
  return { seen, pageSizes, counter };
}

describe('members list cost on a 1,000-member organization', () => {
  it.each([
    ['the head coach', headCoach, 100],
    ['an assistant coach', coach, 100],
    ['the head coach, small pages', headCoach, 30],
  ])('%s (viewer %s, limit %i): calls = Query pages + BatchGets, nothing else', async (_who, viewer, limit) => {
    const { seen, pageSizes, counter } = await listAll(viewer as string, limit as number);
    expect(seen.size).toBe(MEMBERS);
    const pages = pageSizes.length;
    // Per page: its n profiles + the organization item (authorization) + the lister's profile (ties).
    const batchGets = pageSizes.reduce((sum, n) => sum + Math.ceil((n + 2) / 100), 0);
    const calls = Object.fromEntries(counter.byCommand);
    expect(Object.keys(calls).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(calls.QueryCommand).toBe(pages);
    expect(calls.BatchGetItemCommand).toBe(batchGets);
    expect(counter.total()).toBe(pages + batchGets);
    expect(pages).toBeLessThanOrEqual(Math.ceil(MEMBERS / (limit as number)) + 1);
  });

  it('refuses a lister who is not a coach of the organization, and 404s an unknown one, after reading nothing it returns', async () => {
    const call = (org: string, viewer: string) =>
      handle(userRequest(viewer, { org_id: org }, { limit: 10, include_profile_status: true })).then(
        (r) => r.status,
        (error: { status?: number; statusCode?: number; name?: string }) => error.name,
      );
    expect(await call(orgId, 'usr_m00001')).toBe('ForbiddenError');
    expect(await call('org_nosuchorg0001', headCoach)).toBe('NotFoundError');
  });
});
