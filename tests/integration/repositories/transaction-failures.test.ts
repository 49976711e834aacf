import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../../../lib/activities/activity';
import { createDocumentClient, type DocumentClient } from '../../../lib/db/client';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/errors';
import { ActivityRepository } from '../../../lib/repositories/activity-repository';
import { CoachRepository } from '../../../lib/repositories/coach-repository';
import { GroupRepository } from '../../../lib/repositories/group-repository';
import { keys } from '../../../lib/repositories/keys';
import { MemberRepository } from '../../../lib/repositories/member-repository';
import { type Organization, OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { OrganizationUpdater } from '../../../lib/repositories/organization-update';
import { profileTieAttribute } from '../../../lib/repositories/profile-ties';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * Every failure mode of every transaction in lib/repositories, on DynamoDB Local: each failed
 * condition is mapped by the item's NAME to its status (never by its position in the list), and the
 * transaction wrote nothing. Lost races are staged for real: the racing write runs on the table just
 * before the transaction is sent (`racing`), no mock stands in for DynamoDB. Each test builds its own
 * organization and users, so any one runs alone.
 */
let table: string;
let client: DocumentClient;
let seq = 0;
const unique = (prefix: string): string => `${prefix}_tx${process.pid.toString(36)}${String(++seq).padStart(4, '0')}`;

beforeAll(async () => {
  table = await createTestTable('tx');
  client = createDocumentClient(testDynamoDbEndpoint());
});

const item = async (key: Record<string, string>) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const deleteItem = (key: Record<string, string>) => testDocumentClient().send(new DeleteCommand({ TableName: table, Key: key }));

/** A client whose next transaction is preceded by `race` (another writer's change landing first). */
function racing(race: () => Promise<unknown>): DocumentClient {
  let pending: (() => Promise<unknown>) | undefined = race;
  const send: DynamoDBDocumentClient['send'] = async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
    if (command instanceof TransactWriteCommand && pending) {
      const run = pending;
      pending = undefined;
      await run();
    }
    return client.send(command);
  };
  return Object.assign(Object.create(client) as DocumentClient, { send });
}

async function user(prefix = 'usr'): Promise<string> {
  const id = unique(prefix);
  await new UserRepository(client, table).create({ user_id: id, display_name: `User ${id}` }, 'test');
  return id;
}

async function organization(): Promise<Organization> {
  const head = await user();
  const orgId = unique('org');
  return new OrganizationRepository(client, table).create(
    { org_id: orgId, org_name: `Club ${orgId}`, head_coach_user_id: head, settings: {}, plan: 'standard' },
    'app_test',
  );
}

const activityOf = (userId: string): Activity => ({
  activity_id: unique('act'),
  user_id: userId,
  type: 'run',
  name: 'Morning run',
  start_time: '2026-03-04T07:00:00Z',
  distance_m: 5000,
  moving_time_s: 1500,
  created_at: '2026-03-04T08:00:00Z',
});

describe('activities', () => {
  it('create: an activity id already taken is a 409; nothing else is written', async () => {
    const activities = new ActivityRepository(client, table);
    const owner = await user();
    const activity = activityOf(owner);
    await activities.create(activity);
    const before = await item(keys.user(owner));
    await expect(activities.create({ ...activity, name: 'Again' })).rejects.toThrow(ConflictError);
    expect((await activities.get(owner, activity.activity_id))?.name).toBe('Morning run');
    expect(await item(keys.user(owner))).toEqual(before);
  });

  it('create: an owner without a profile is `false` (the caller creates it), and no activity is left behind', async () => {
    const activities = new ActivityRepository(client, table);
    const activity = activityOf(unique('usr'));
    await expect(activities.create(activity)).resolves.toBe(false);
    expect(await activities.get(activity.user_id, activity.activity_id)).toBeUndefined();
  });

  it('delete: a racing delete that won is a 404', async () => {
    const owner = await user();
    const activity = activityOf(owner);
    await new ActivityRepository(client, table).create(activity);
    const raced = new ActivityRepository(
      racing(() => deleteItem(keys.activity(owner, activity.activity_id))),
      table,
    );
    await expect(raced.delete(owner, activity.activity_id)).rejects.toThrow(new NotFoundError('activity not found'));
  });

  it('delete: an owner whose profile is gone is a 404 naming the user; the activity stays', async () => {
    const activities = new ActivityRepository(client, table);
    const owner = await user();
    const activity = activityOf(owner);
    await activities.create(activity);
    await deleteItem(keys.user(owner));
    await expect(activities.delete(owner, activity.activity_id)).rejects.toThrow(new NotFoundError('user not found'));
    expect(await activities.get(owner, activity.activity_id)).toBeDefined();
  });
});

describe('organizations', () => {
  it('create: a head coach who does not exist is a 400 naming head_coach_user_id; no name is reserved', async () => {
    const orgs = new OrganizationRepository(client, table);
    const name = `Club ${unique('n')}`;
    const attempt = orgs.create(
      { org_id: unique('org'), org_name: name, head_coach_user_id: unique('usr'), settings: {}, plan: 'standard' },
      'app',
    );
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ details: [{ path: 'head_coach_user_id' }] });
    expect(await item(keys.organizationName(name.toLowerCase()))).toBeUndefined();
  });

  it('create: a name taken (whatever its case and spacing) is a 409 naming name', async () => {
    const org = await organization();
    const head = await user();
    const attempt = new OrganizationRepository(client, table).create(
      { org_id: unique('org'), org_name: `  ${org.org_name.toUpperCase()} `, head_coach_user_id: head, settings: {}, plan: 'standard' },
      'app',
    );
    await expect(attempt).rejects.toMatchObject({ message: 'organization name already exists', details: [{ path: 'name' }] });
    expect((await item(keys.user(head)))?.[profileTieAttribute.head(org.org_id)]).toBeUndefined();
  });

  it('create: an organization id already taken is a 409, not a 500', async () => {
    const org = await organization();
    const attempt = new OrganizationRepository(client, table).create(
      { org_id: org.org_id, org_name: `Other ${unique('n')}`, head_coach_user_id: org.head_coach_user_id, settings: {}, plan: 'standard' },
      'app',
    );
    await expect(attempt).rejects.toMatchObject({ message: 'organization already exists', details: [{ path: 'org_id' }] });
  });

  it('rename: a name another organization holds is a 409 naming name', async () => {
    const [org, other] = [await organization(), await organization()];
    const attempt = new OrganizationUpdater(client, table).update(org, { name: other.org_name }, 'usr_actor');
    await expect(attempt).rejects.toMatchObject({ message: 'organization name already exists' });
  });

  it('rename: renaming from a stale read after a concurrent rename is a 409 to retry', async () => {
    const org = await organization();
    const updater = new OrganizationUpdater(client, table);
    await updater.update(org, { name: `First ${unique('n')}` }, 'usr_actor');
    const attempt = updater.update(org, { name: `Second ${unique('n')}` }, 'usr_actor');
    await expect(attempt).rejects.toMatchObject({ message: 'the organization was renamed concurrently; retry' });
  });
});

describe('coaches', () => {
  it('add: a coach already there is a 409; an organization that does not exist a 404; a user without a profile a 404', async () => {
    const org = await organization();
    const coaches = new CoachRepository(client, table);
    const coachId = await user();
    await coaches.add(org.org_id, { user_id: coachId, name: 'C', role: 'assistant_coach' }, 'usr_actor');
    await expect(coaches.add(org.org_id, { user_id: coachId, name: 'C', role: 'assistant_coach' }, 'usr_actor')).rejects.toThrow(
      ConflictError,
    );
    await expect(coaches.add(unique('org'), { user_id: await user(), name: 'C', role: 'assistant_coach' }, 'usr_actor')).rejects.toThrow(
      new NotFoundError('organization not found'),
    );
    const ghost = unique('usr');
    await expect(coaches.add(org.org_id, { user_id: ghost, name: 'G', role: 'assistant_coach' }, 'usr_actor')).rejects.toThrow(
      new NotFoundError('user not found'),
    );
    expect(await item(keys.coach(org.org_id, ghost))).toBeUndefined();
  });

  it('remove: a racing removal that won is a 404', async () => {
    const org = await organization();
    const coachId = await user();
    const coaches = new CoachRepository(client, table);
    const coach = await coaches.add(org.org_id, { user_id: coachId, name: 'C', role: 'assistant_coach' }, 'usr_actor');
    await coaches.remove(org.org_id, coachId, 'usr_actor');
    await expect(coaches.remove(org.org_id, coachId, 'usr_actor', [coach])).rejects.toThrow(new NotFoundError('coach not found'));
  });

  it('remove: a coach whose profile is gone is a 404 naming the user; the role stays', async () => {
    const org = await organization();
    const coachId = await user();
    const coaches = new CoachRepository(client, table);
    await coaches.add(org.org_id, { user_id: coachId, name: 'C', role: 'assistant_coach' }, 'usr_actor');
    await deleteItem(keys.user(coachId));
    await expect(coaches.remove(org.org_id, coachId, 'usr_actor')).rejects.toThrow(new NotFoundError('user not found'));
    expect((await item(keys.coach(org.org_id, coachId)))?.status).toBe('active');
  });

  it('remove: a coaches list that moved under the update is read again and the removal lands', async () => {
    const org = await organization();
    const [first, second] = [await user(), await user()];
    const coaches = new CoachRepository(client, table);
    const a = await coaches.add(org.org_id, { user_id: first, name: 'A', role: 'assistant_coach' }, 'usr_actor');
    const b = await coaches.add(org.org_id, { user_id: second, name: 'B', role: 'assistant_coach' }, 'usr_actor');
    await coaches.remove(org.org_id, first, 'usr_actor');
    // A stale list that still has `first` at index 0: `second` is at index 0 now.
    await expect(coaches.remove(org.org_id, second, 'usr_actor', [a, b])).resolves.toMatchObject({ user_id: second });
    expect((await item(keys.organization(org.org_id)))?.coaches).toEqual([]);
  });
});

describe('members', () => {
  it('add: a member already there is a 409; a user without a profile a 404 and no member item', async () => {
    const org = await organization();
    const members = new MemberRepository(client, table);
    const athlete = await user();
    await members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    await expect(members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id)).rejects.toThrow(
      ConflictError,
    );
    const ghost = unique('usr');
    await expect(members.add(org.org_id, { user_id: ghost, athlete_name: 'G' }, 'usr_actor', org.head_coach_user_id)).rejects.toThrow(
      new NotFoundError('user not found'),
    );
    expect(await item(keys.member(org.org_id, ghost))).toBeUndefined();
  });

  it('update of status or assignment: a removed member is a 404', async () => {
    const org = await organization();
    const members = new MemberRepository(client, table);
    const athlete = await user();
    await members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    await members.remove(org.org_id, athlete, 'usr_actor');
    await expect(members.update(org.org_id, athlete, { status: 'inactive' }, 'usr_actor')).rejects.toThrow(
      new NotFoundError('member not found'),
    );
  });

  it('update of status or assignment: a profile without the membership tie is a 409 (it was a 500), and the member is unchanged', async () => {
    const org = await organization();
    const members = new MemberRepository(client, table);
    const athlete = await user();
    await members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: table,
        Key: keys.user(athlete),
        UpdateExpression: 'REMOVE #tie',
        ExpressionAttributeNames: { '#tie': profileTieAttribute.member(org.org_id) },
      }),
    );
    const attempt = members.update(org.org_id, athlete, { status: 'inactive' }, 'usr_actor');
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ details: [{ path: 'user_id' }] });
    expect((await members.get(org.org_id, athlete))?.status).toBe('active');
  });

  it('remove: a member already removed is a 404; a member whose profile is gone a 404 naming the user', async () => {
    const org = await organization();
    const members = new MemberRepository(client, table);
    const [gone, orphan] = [await user(), await user()];
    for (const id of [gone, orphan]) await members.add(org.org_id, { user_id: id, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    await members.remove(org.org_id, gone, 'usr_actor');
    await expect(members.remove(org.org_id, gone, 'usr_actor')).rejects.toThrow(new NotFoundError('member not found'));
    await deleteItem(keys.user(orphan));
    await expect(members.remove(org.org_id, orphan, 'usr_actor')).rejects.toThrow(new NotFoundError('user not found'));
    expect((await members.get(org.org_id, orphan))?.status).toBe('active');
  });

  it("a coach removal's unassignment leaves a member reassigned meanwhile to their new coach", async () => {
    const org = await organization();
    const members = new MemberRepository(client, table);
    const athlete = await user();
    await members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    await members.update(org.org_id, athlete, { assigned_coach_id: 'usr_new_coach' }, 'usr_actor');
    await expect(members.clearAssignment(org.org_id, athlete, 'usr_old_coach', 'usr_actor')).resolves.toBeUndefined();
    expect((await members.get(org.org_id, athlete))?.assigned_coach_id).toBe('usr_new_coach');
  });
});

describe('groups', () => {
  it('add a member: no such group is a 404, already in it a 409, not an active member a 400 naming user_id', async () => {
    const org = await organization();
    const groups = new GroupRepository(client, table);
    const members = new MemberRepository(client, table);
    const [athlete, outsider] = [await user(), await user()];
    await members.add(org.org_id, { user_id: athlete, athlete_name: 'A' }, 'usr_actor', org.head_coach_user_id);
    const group = await groups.create(org.org_id, { name: 'Group' }, 'usr_actor');
    await groups.addMember(org.org_id, group.group_id, athlete, 'usr_actor');
    await expect(groups.addMember(org.org_id, 'grp_missing', athlete, 'usr_actor')).rejects.toThrow(new NotFoundError('group not found'));
    await expect(groups.addMember(org.org_id, group.group_id, athlete, 'usr_actor')).rejects.toThrow(ConflictError);
    const attempt = groups.addMember(org.org_id, group.group_id, outsider, 'usr_actor');
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ details: [{ path: 'user_id' }] });
  });
});
