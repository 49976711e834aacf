import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, documentClient } from '../../../lib/db/client';
import { OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { countCalls } from '../../support/call-counter';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * Listing a 1,000-member organization with include_profile_status, page by page, through the
 * handler's own path: each page costs the authorization GetItem, one roster Query, ⌈N/100⌉
 * BatchGetItem of profiles, and (for a lister other than the head coach) one Query of the lister's
 * ties. Never a GetItem per member, never a Scan.
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
  const seedClient = createDocumentClient(testDynamoDbEndpoint());
  const users = new UserRepository(seedClient, table);
  await users.create({ user_id: headCoach, display_name: 'Head' }, 'test');
  await users.create({ user_id: coach, display_name: 'Coach' }, 'test');
  await new OrganizationRepository(seedClient, table).create({ org_id: orgId, org_name: 'Big Club', head_coach_user_id: headCoach, settings: {}, plan: 'standard' }, 'test');
  const items: Record<string, unknown>[] = [
    { pk: `ORG#${orgId}`, sk: `COACH#${coach}`, entity: 'coach', org_id: orgId, user_id: coach, name: 'Coach', role: 'assistant_coach', status: 'active', user_pk: `USER#${coach}`, user_sk: `ORG#${orgId}#COACH` },
  ];
  for (let i = 0; i < MEMBERS; i++) {
    const userId = `usr_m${String(i).padStart(5, '0')}`;
    items.push({ pk: `USER#${userId}`, sk: 'PROFILE', entity: 'user', user_id: userId, display_name: `Member ${i}`, connections: { strava: i % 2 === 0 } });
    items.push({ pk: `ORG#${orgId}`, sk: `MEMBER#${userId}`, entity: 'member', org_id: orgId, user_id: userId, status: 'active', labels: [], joined_at: '2026-01-01T00:00:00Z', user_pk: `USER#${userId}`, user_sk: `ORG#${orgId}#MEMBER` });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const client = testDocumentClient();
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(batches.slice(i, i + 16).map(async (batch) => {
      let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }));
  }
  seedClient.destroy();
  ({ handle } = (await import('../../../functions/members-list/handler')) as unknown as { handle: ListHandle });
  const orgs = new OrganizationRepository(testDocumentClient(), table);
  expect(await orgs.getConsistent(orgId)).toBeDefined();
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  await testDocumentClient().send(new UpdateCommand({ TableName: table, Key: { pk: `ORG#${orgId}`, sk: 'ORG' }, UpdateExpression: 'SET coaches = :c', ExpressionAttributeValues: { ':c': [{ user_id: coach, name: 'Coach', role: 'assistant_coach' }] } }));
}, 120000);

let counter: ReturnType<typeof countCalls>;

async function listAll(viewer: string, limit: number) {
  counter ??= countCalls(documentClient());
  counter.reset();
  const seen = new Set<string>();
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const response = await handle({
      params: { org_id: orgId },
      query: { limit, include_profile_status: true, ...(token ? { next_token: token } : {}) },
      body: undefined,
      principal: { kind: 'user', user_id: viewer, is_admin: false },
      requestId: 'test',
    });
    expect(response.status).toBe(200);
    const body = response.body as { members: { user_id: string; profile_status: { has_strava: boolean } }[]; count: number; next_token?: string };
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
    ['the head coach', headCoach, 100, 0],
    ['an assistant coach (one ties query per page)', coach, 100, 1],
    ['the head coach, small pages', headCoach, 30, 0],
  ])('%s (viewer %s, limit %i)', async (_who, viewer, limit, tiesQueriesPerPage) => {
    const { seen, pageSizes, counter } = await listAll(viewer as string, limit as number);
    expect(seen.size).toBe(MEMBERS);
    const pages = pageSizes.length;
    const batchGets = pageSizes.reduce((sum, n) => sum + Math.ceil(n / 100), 0);
    const calls = Object.fromEntries(counter.byCommand);
    expect(calls.ScanCommand).toBeUndefined();
    expect(Object.keys(calls).sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'QueryCommand']);
    expect(calls.BatchGetItemCommand).toBe(batchGets);
    // One GetItem per page: the strongly consistent organization read that authorizes it.
    expect(calls.GetItemCommand).toBe(pages);
    // An empty last page reads no profiles and needs no ties.
    const nonEmptyPages = pageSizes.filter((n) => n > 0).length;
    expect(calls.QueryCommand).toBe(pages + (tiesQueriesPerPage as number) * nonEmptyPages);
    expect(counter.total()).toBe(2 * pages + (tiesQueriesPerPage as number) * nonEmptyPages + batchGets);
    expect(pages).toBeLessThanOrEqual(Math.ceil(MEMBERS / (limit as number)) + 1);
  });
});
