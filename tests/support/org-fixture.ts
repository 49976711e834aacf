import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { acceptedInvitation, profileTieAttribute, setProfileTie } from '../../lib/repositories/profile-ties';
import { testDocumentClient } from './dynamodb';
import type { TestStack } from './stack';

/**
 * An organization with its cast, for privacy tests: created through the API (app key), with coach
 * and member items written as the data model lays them out (docs/data-model.md).
 */
export interface OrgCast {
  readonly orgId: string;
  readonly appKey: string;
  readonly athlete: string;
  readonly headCoach: string;
  readonly assignedCoach: string;
  readonly coCoach: string;
  readonly fellow: string;
  readonly stranger: string;
  readonly admin: string;
}

const FIXTURE_TIME = '2026-01-01T00:00:00Z';

/** The user accepts every pending tie they hold in the organization, over the API (privacy.md §8). */
export async function accept(stack: TestStack, orgId: string, userId: string): Promise<void> {
  const response = await stack.http.put(
    `/api/v1/users/me/memberships/${orgId}`,
    { consent: 'accepted' },
    { headers: { Authorization: `Bearer ${await stack.token(userId)}` } },
  );
  if (response.status !== 200) throw new Error(`accepting ${orgId} as ${userId} answered ${response.status}: ${response.text}`);
}

export async function createUser(stack: TestStack, appKey: string, displayName: string): Promise<string> {
  const response = await stack.http.post<{ user: { user_id: string } }>(
    '/api/v1/users',
    { display_name: displayName },
    { headers: { 'X-API-Key': appKey } },
  );
  if (response.status !== 201 || !response.body) throw new Error(`user create failed: ${response.status}`);
  return response.body.user.user_id;
}

export async function addCoach(stack: TestStack, orgId: string, userId: string, name: string, role: string): Promise<void> {
  const client = testDocumentClient();
  // An accepted coach role (privacy.md §8), as CoachRepository and the coach's own answer leave it.
  const invitation = acceptedInvitation('usr_fixture', FIXTURE_TIME);
  await client.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: {
        pk: `ORG#${orgId}`,
        sk: `COACH#${userId}`,
        entity: 'coach',
        org_id: orgId,
        user_id: userId,
        name,
        role,
        status: 'active',
        ...invitation,
        user_pk: `USER#${userId}`,
        user_sk: `ORG#${orgId}#COACH`,
      },
    }),
  );
  await client.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: { pk: `ORG#${orgId}`, sk: 'ORG' },
      UpdateExpression: 'SET coaches = list_append(coaches, :c)',
      ExpressionAttributeValues: { ':c': [{ user_id: userId, name, role, consent: 'accepted' }] },
    }),
  );
  // The profile mirrors the tie, as CoachRepository writes it (lib/repositories/profile-ties.ts).
  await client.send(new UpdateCommand(setProfileTie(stack.tableName, userId, profileTieAttribute.coach(orgId), { ...invitation, role })));
}

export async function addMember(
  stack: TestStack,
  orgId: string,
  userId: string,
  options: { assignedCoachId?: string; status?: string } = {},
): Promise<void> {
  await testDocumentClient().send(
    new PutCommand({
      TableName: stack.tableName,
      Item: {
        pk: `ORG#${orgId}`,
        sk: `MEMBER#${userId}`,
        entity: 'member',
        org_id: orgId,
        user_id: userId,
        status: options.status ?? 'active',
        consent: 'accepted',
        labels: [],
        joined_at: '2026-01-01T00:00:00Z',
        user_pk: `USER#${userId}`,
        user_sk: `ORG#${orgId}#MEMBER`,
        ...(options.assignedCoachId ? { assigned_coach_id: options.assignedCoachId } : {}),
      },
    }),
  );
  // The profile mirrors the tie, as MemberRepository writes it (lib/repositories/profile-ties.ts).
  const org = await testDocumentClient().send(
    new GetCommand({ TableName: stack.tableName, Key: { pk: `ORG#${orgId}`, sk: 'ORG' }, ConsistentRead: true }),
  );
  const tie = {
    ...acceptedInvitation('usr_fixture', FIXTURE_TIME),
    status: options.status ?? 'active',
    head_coach_user_id: String(org.Item?.head_coach_user_id),
    ...(options.assignedCoachId ? { assigned_coach_id: options.assignedCoachId } : {}),
  };
  await testDocumentClient().send(new UpdateCommand(setProfileTie(stack.tableName, userId, profileTieAttribute.member(orgId), tie)));
}

export async function createOrgCast(stack: TestStack): Promise<OrgCast> {
  const appKey = await stack.appKey('privacy cast');
  const [athlete, headCoach, assignedCoach, coCoach, fellow, stranger] = (await Promise.all(
    ['Athlete Ada', 'Head Coach Hal', 'Assigned Coach Cy', 'Co-coach Uma', 'Fellow Fay', 'Stranger Sam'].map((name) =>
      createUser(stack, appKey, name),
    ),
  )) as [string, string, string, string, string, string];
  const org = await stack.http.post<{ organization: { org_id: string } }>(
    '/api/v1/organizations',
    { name: `Privacy Club ${Math.random().toString(36).slice(2)}`, head_coach_user_id: headCoach },
    { headers: { 'X-API-Key': appKey } },
  );
  const orgId = org.body?.organization.org_id ?? '';
  // The cast joins through the API, as a head coach would build it.
  const asHead = { headers: { Authorization: `Bearer ${await stack.token(headCoach)}` } };
  const expectStatus = async (call: Promise<{ status: number }>, status: number) => {
    const response = await call;
    if (response.status !== status) throw new Error(`fixture call answered ${response.status}, expected ${status}`);
  };
  await expectStatus(
    stack.http.post(`/api/v1/organizations/${orgId}/coaches`, { user_id: assignedCoach, role: 'assistant_coach' }, asHead),
    201,
  );
  await expectStatus(stack.http.post(`/api/v1/organizations/${orgId}/coaches`, { user_id: coCoach, role: 'assistant_coach' }, asHead), 201);
  await expectStatus(stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: athlete }, asHead), 201);
  await expectStatus(
    stack.http.put(`/api/v1/organizations/${orgId}/members/${athlete}`, { assigned_coach_id: assignedCoach }, asHead),
    200,
  );
  await expectStatus(stack.http.post(`/api/v1/organizations/${orgId}/members`, { user_id: fellow }, asHead), 201);
  // Everyone named accepts (privacy.md §8): until then the ties relate nobody.
  for (const userId of [headCoach, assignedCoach, coCoach, athlete, fellow]) await accept(stack, orgId, userId);
  return { orgId, appKey, athlete, headCoach, assignedCoach, coCoach, fellow, stranger, admin: 'usr_platformadmin' };
}
