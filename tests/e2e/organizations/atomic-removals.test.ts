import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../lib/db/client';
import { keys } from '../../../lib/repositories/keys';
import { testDocumentClient } from '../../support/dynamodb';
import { failNthWrite } from '../../support/fault-injection';
import { apiKey, bearer } from '../../support/http';
import { createUser } from '../../support/org-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

/**
 * Issue 13, atomic removals: members-remove and coaches-remove interrupted between two writes (the
 * handlers' shared client refuses its Nth write once: tests/support/fault-injection.ts) answer 500,
 * and the client's retry answers 200, leaves no group membership or assignment of the removed person
 * behind, and the audit log has each event once. Before, the retry answered 404 and the groups kept them.
 */
let stack: TestStack;
let appKey: string;
let head: string;
let h: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  appKey = await stack.appKey('removals');
  head = await createUser(stack, appKey, 'Head Hana');
  h = bearer(await stack.token(head));
});

afterAll(async () => {
  await stack?.stop();
});

async function organization(name: string): Promise<string> {
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name, head_coach_user_id: head },
    { headers: apiKey(appKey) },
  );
  expect(org.status).toBe(201);
  return org.body?.organization.org_id ?? '';
}

async function member(orgId: string, name: string): Promise<string> {
  const userId = await createUser(stack, appKey, name);
  expect((await stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: userId }, { headers: h })).status).toBe(201);
  return userId;
}

/** Every audit event of one type in the organization, all pages. */
async function auditEvents(orgId: string, type: string): Promise<{ target_id: string; actor_id: string }[]> {
  await stack.drainStreams();
  const events: { target_id: string; actor_id: string }[] = [];
  let token: string | undefined;
  do {
    const page = await stack.http.get<{ logs: { target_id: string; actor_id: string }[]; next_token?: string }>(
      `/api/v1/organizations/${orgId}/audit-logs?event_type=${type}&limit=100${token ? `&next_token=${encodeURIComponent(token)}` : ''}`,
      { headers: h },
    );
    expect(page.status).toBe(200);
    events.push(...(page.body?.logs ?? []));
    token = page.body?.next_token;
  } while (token);
  return events;
}

const groupHolds = async (orgId: string, groupId: string, userId: string): Promise<boolean> => {
  const item = (
    await testDocumentClient().send(new GetCommand({ TableName: stack.tableName, Key: keys.group(orgId, groupId), ConsistentRead: true }))
  ).Item;
  const ids = item?.member_ids;
  return ids instanceof Set && ids.has(userId);
};

/** Runs one DELETE with the Nth write refused, then the same DELETE again (the client's retry). */
async function interruptedThenRetried(path: string, failingWrite: number) {
  await stack.drainStreams();
  const fault = failNthWrite(documentClient(), failingWrite);
  let first: Awaited<ReturnType<typeof stack.http.delete>>;
  try {
    first = await stack.http.delete(path, { headers: h });
  } finally {
    fault.disarm();
  }
  expect(fault.fired()).toBe(true);
  return { first, retry: await stack.http.delete(path, { headers: h }), writes: fault.writes };
}

describe('members-remove', () => {
  it('is one transaction: refused (500); the retry removes the member and every group membership (200)', async () => {
    const orgId = await organization('Removal Club One');
    const athlete = await member(orgId, 'Athlete One');
    const groups: string[] = [];
    for (const name of ['Dawn', 'Dusk']) {
      const group = await stack.http.post<{ group: { group_id: string } }>(
        `/api/v1/organizations/${orgId}/groups`,
        { name },
        { headers: h },
      );
      groups.push(group.body?.group.group_id ?? '');
      const joined = await stack.http.post(
        `/api/v1/organizations/${orgId}/groups/${group.body?.group.group_id}/members`,
        { user_id: athlete },
        { headers: h },
      );
      expect(joined.status).toBe(201);
    }
    const path = `/api/v1/organizations/${orgId}/members/${athlete}`;
    const { first, retry, writes } = await interruptedThenRetried(path, 1);
    expect(first.status).toBe(500);
    expect(writes).toEqual(['TransactWriteItemsCommand']);
    expect(retry.status).toBe(200);
    for (const groupId of groups) expect(await groupHolds(orgId, groupId, athlete)).toBe(false);
    expect((await stack.http.delete(path, { headers: h })).status).toBe(404);
    expect((await auditEvents(orgId, 'member_removed')).map((e) => [e.target_id, e.actor_id])).toEqual([[athlete, head]]);
    expect((await auditEvents(orgId, 'group_member_removed')).map((e) => e.target_id).sort()).toEqual([athlete, athlete]);
  });

  it('in more groups than one transaction holds (100): interrupted between writes, the retry finishes the removal (200)', async () => {
    const orgId = await organization('Removal Club Many');
    const athlete = await member(orgId, 'Athlete Many');
    // 100 groups holding the athlete, written as GroupRepository lays them out (the API would take 200 calls).
    const groups = Array.from({ length: 100 }, (_, i) => `grp_removalmany${String(i).padStart(4, '0')}`);
    const now = '2026-01-01T00:00:00Z';
    for (let i = 0; i < groups.length; i += 25) {
      await testDocumentClient().send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.tableName]: groups.slice(i, i + 25).map((groupId) => ({
              PutRequest: {
                Item: {
                  ...keys.group(orgId, groupId),
                  entity: 'group',
                  status: 'active',
                  org_id: orgId,
                  group_id: groupId,
                  name: `Group ${groupId}`,
                  member_ids: new Set([athlete]),
                  created_at: now,
                  updated_at: now,
                  last_actor_id: head,
                },
              },
            })),
          },
        }),
      );
    }
    const path = `/api/v1/organizations/${orgId}/members/${athlete}`;
    // Two groups do not fit beside the tombstone and the profile tie: they are left first, one update
    // each; the second of those is refused, after the first landed.
    const { first, retry, writes } = await interruptedThenRetried(path, 2);
    expect(writes).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    expect(first.status).toBe(500);
    expect(retry.status).toBe(200);
    const still = [];
    for (const groupId of groups) if (await groupHolds(orgId, groupId, athlete)) still.push(groupId);
    expect(still).toEqual([]);
    expect((await auditEvents(orgId, 'member_removed')).map((e) => e.target_id)).toEqual([athlete]);
    const left = await auditEvents(orgId, 'group_member_removed');
    // One per group: the group left before the interruption is not left again by the retry.
    expect(left).toHaveLength(100);
    expect(new Set(left.map((e) => e.target_id))).toEqual(new Set([athlete]));
  });
});

describe('coaches-remove', () => {
  it('interrupted between the unassignments, the retry clears every assignment and removes the coach (200); audit once', async () => {
    const orgId = await organization('Removal Club Coach');
    const coach = await createUser(stack, appKey, 'Coach Cora');
    const added = await stack.http.post(
      `/api/v1/organizations/${orgId}/coaches`,
      { user_id: coach, role: 'assistant_coach' },
      { headers: h },
    );
    expect(added.status).toBe(201);
    const athletes = [await member(orgId, 'Assigned One'), await member(orgId, 'Assigned Two'), await member(orgId, 'Assigned Three')];
    for (const athlete of athletes) {
      const assigned = await stack.http.put(
        `/api/v1/organizations/${orgId}/members/${athlete}`,
        { assigned_coach_id: coach },
        { headers: h },
      );
      expect(assigned.status).toBe(200);
    }
    const path = `/api/v1/organizations/${orgId}/coaches/${coach}`;
    const { first, retry, writes } = await interruptedThenRetried(path, 2);
    expect(writes).toEqual(['TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    expect(first.status).toBe(500);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ coach: { user_id: coach } });
    for (const athlete of athletes) {
      const item = (
        await testDocumentClient().send(
          new GetCommand({ TableName: stack.tableName, Key: keys.member(orgId, athlete), ConsistentRead: true }),
        )
      ).Item;
      expect(item?.assigned_coach_id).toBeUndefined();
    }
    expect((await stack.http.delete(path, { headers: h })).status).toBe(404);
    expect((await auditEvents(orgId, 'coach_removed')).map((e) => [e.target_id, e.actor_id])).toEqual([[coach, head]]);
  });
});
