import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lib/db/client';
import { ConflictError, NotFoundError } from '../../../lib/errors';
import { CoachRepository } from '../../../lib/repositories/coach-repository';
import { ConsentRepository } from '../../../lib/repositories/consent-repository';
import { MemberRepository } from '../../../lib/repositories/member-repository';
import { OrganizationRepository } from '../../../lib/repositories/organization-repository';
import { profileTieAttribute } from '../../../lib/repositories/profile-ties';
import { UserRepository } from '../../../lib/repositories/user-repository';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';

/**
 * The answer's transaction on DynamoDB Local (lib/repositories/consent-repository.ts): every place a
 * tie lives moves together, a lost race is a 409 (never a 500, never half-written), and a user
 * holding several ties in one organization answers them in one transaction (one profile update).
 */
let table: string;
let consents: ConsentRepository;
let seq = 0;

const item = async (pk: string, sk: string) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;

async function organizationWith(headCoach: string): Promise<string> {
  const client = createDocumentClient(testDynamoDbEndpoint());
  const users = new UserRepository(client, table);
  await users.create({ user_id: headCoach, display_name: 'Head' }, 'test').catch(() => undefined);
  const orgId = `org_consent${String(++seq).padStart(4, '0')}`;
  await new OrganizationRepository(client, table).create(
    { org_id: orgId, org_name: `Consent Club ${seq}`, head_coach_user_id: headCoach, settings: {}, plan: 'standard' },
    'app_test',
  );
  return orgId;
}

beforeAll(async () => {
  table = await createTestTable('consent');
  consents = new ConsentRepository(createDocumentClient(testDynamoDbEndpoint()), table);
});

describe('answering ties', () => {
  it('two answers racing: exactly one lands, the other is a 409, and every copy of the tie agrees', async () => {
    const client = createDocumentClient(testDynamoDbEndpoint());
    const orgId = await organizationWith('usr_head1');
    await new UserRepository(client, table).create({ user_id: 'usr_racer', display_name: 'Racer' }, 'test');
    await new MemberRepository(client, table).add(orgId, { user_id: 'usr_racer', athlete_name: 'Racer' }, 'usr_head1', 'usr_head1');
    const results = await Promise.allSettled([
      consents.answer('usr_racer', orgId, 'accepted'),
      consents.answer('usr_racer', orgId, 'declined'),
    ]);
    const landed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(landed).toHaveLength(1);
    expect(refused.map((r) => r.reason instanceof ConflictError)).toEqual([true]);
    const answer = (landed[0] as PromiseFulfilledResult<{ answer: string }>).value.answer;
    const member = await item(`ORG#${orgId}`, 'MEMBER#usr_racer');
    const tie = (await item('USER#usr_racer', 'PROFILE'))?.[profileTieAttribute.member(orgId)] as Record<string, unknown> | undefined;
    expect(member?.consent).toBe(answer);
    if (answer === 'accepted') expect(tie?.consent).toBe('accepted');
    else expect([member?.status, member?.removed_by, tie]).toEqual(['removed', 'usr_racer', undefined]);
  });

  it('a member who is also a coach answers both in one transaction; the organization mirror follows', async () => {
    const client = createDocumentClient(testDynamoDbEndpoint());
    const orgId = await organizationWith('usr_head2');
    await new UserRepository(client, table).create({ user_id: 'usr_both', display_name: 'Both' }, 'test');
    await new CoachRepository(client, table).add(orgId, { user_id: 'usr_both', name: 'Both', role: 'assistant_coach' }, 'usr_head2');
    await new MemberRepository(client, table).add(orgId, { user_id: 'usr_both', athlete_name: 'Both' }, 'usr_head2', 'usr_head2');
    const answered = await consents.answer('usr_both', orgId, 'accepted');
    expect([...answered.kinds].sort()).toEqual(['coach', 'member']);
    const org = await item(`ORG#${orgId}`, 'ORG');
    expect(org?.coaches).toEqual([{ user_id: 'usr_both', name: 'Both', role: 'assistant_coach', consent: 'accepted' }]);
    expect((await item(`ORG#${orgId}`, 'COACH#usr_both'))?.consent).toBe('accepted');
    const profile = await item('USER#usr_both', 'PROFILE');
    expect([
      (profile?.[profileTieAttribute.member(orgId)] as Record<string, unknown>).consent,
      (profile?.[profileTieAttribute.coach(orgId)] as Record<string, unknown>).consent,
    ]).toEqual(['accepted', 'accepted']);
    await expect(consents.answer('usr_both', orgId, 'declined')).rejects.toBeInstanceOf(ConflictError);
  });

  it('a coach declines: coach item tombstoned by them, list entry and profile tie gone', async () => {
    const client = createDocumentClient(testDynamoDbEndpoint());
    const orgId = await organizationWith('usr_head3');
    for (const id of ['usr_c1', 'usr_c2']) {
      await new UserRepository(client, table).create({ user_id: id, display_name: id }, 'test');
      await new CoachRepository(client, table).add(orgId, { user_id: id, name: id, role: 'assistant_coach' }, 'usr_head3');
    }
    // The second coach's entry moves when the first leaves: the answer finds it by the index it read.
    await consents.answer('usr_c1', orgId, 'declined');
    await consents.answer('usr_c2', orgId, 'accepted');
    expect((await item(`ORG#${orgId}`, 'ORG'))?.coaches).toEqual([
      { user_id: 'usr_c2', name: 'usr_c2', role: 'assistant_coach', consent: 'accepted' },
    ]);
    expect(await item(`ORG#${orgId}`, 'COACH#usr_c1')).toMatchObject({ status: 'removed', removed_by: 'usr_c1', consent: 'declined' });
    expect((await item('USER#usr_c1', 'PROFILE'))?.[profileTieAttribute.coach(orgId)]).toBeUndefined();
  });

  it('the head coach declines: recorded on the link, the organization and the profile; the designation stays', async () => {
    const orgId = await organizationWith('usr_head4');
    await consents.answer('usr_head4', orgId, 'declined');
    expect(await item(`ORG#${orgId}`, 'ORG')).toMatchObject({ head_coach_user_id: 'usr_head4', head_coach_consent: 'declined' });
    expect(await item(`ORG#${orgId}`, 'HEADCOACH')).toMatchObject({ consent: 'declined', last_actor_id: 'usr_head4' });
    expect((await item('USER#usr_head4', 'PROFILE'))?.[profileTieAttribute.head(orgId)]).toMatchObject({
      consent: 'declined',
      invited_by: 'app_test',
    });
    await expect(consents.answer('usr_head4', orgId, 'accepted')).rejects.toBeInstanceOf(ConflictError);
  });

  it('no tie in the organization, or no such organization: 404', async () => {
    const orgId = await organizationWith('usr_head5');
    await expect(consents.answer('usr_stranger', orgId, 'accepted')).rejects.toBeInstanceOf(NotFoundError);
    await expect(consents.answer('usr_head5', 'org_nosuchorganization', 'accepted')).rejects.toBeInstanceOf(NotFoundError);
  });
});
