import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../lib/repositories/keys';
import {
  PENDING_TIE_LIMIT,
  PENDING_TIES_ATTRIBUTE,
  profileTieAttribute,
  profileTiesOf,
  tiesIn,
} from '../../../lib/repositories/profile-ties';
import { createTestTable, putItems, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';
import { call, invokeRoute, routeCalls, userPrincipal } from '../../support/invoke-route';

/**
 * A user holds at most PENDING_TIE_LIMIT unanswered invitations (ADR 0032): each is a tie on their
 * profile, so anyone able to name them could otherwise grow the item every strong read of them pays
 * for, until their own writes failed at 400 KB. The athlete starts one short of the limit (the names
 * of 99 invitations from elsewhere, seeded), and every step goes through a function's handler.
 */
const head = 'usr_invitelimithead';
const athlete = 'usr_invitelimitathl';
const [orgA, orgB] = ['org_invitelimit00a', 'org_invitelimit00b'];
const SEEDED = Array.from({ length: PENDING_TIE_LIMIT - 1 }, (_, i) =>
  profileTieAttribute.member(`org_elsewhere${String(i).padStart(4, '0')}`),
);
let table: string;

const profileOf = async (userId: string) =>
  (await testDocumentClient().send(new GetCommand({ TableName: table, Key: keys.user(userId), ConsistentRead: true }))).Item ?? {};

/** The athlete's set less the seeded names, and the names of their ties still pending here: the two must agree. */
async function unanswered(): Promise<{ counted: string[]; pending: string[] }> {
  const item = await profileOf(athlete);
  const counted = [...((item[PENDING_TIES_ATTRIBUTE] as Set<string> | undefined) ?? [])].filter((name) => !SEEDED.includes(name)).sort();
  const ties = profileTiesOf(item);
  const pending = [orgA, orgB]
    .flatMap((orgId) =>
      tiesIn(ties, orgId).flatMap(({ kind, tie }) => (tie.consent === 'pending' ? [profileTieAttribute[kind](orgId)] : [])),
    )
    .sort();
  return { counted, pending };
}

const createNamingAthlete = () =>
  invokeRoute('organizations-create', {
    method: 'POST',
    resource: '/organizations',
    body: { name: 'Yet Another Club', head_coach_user_id: athlete },
    authorizer: { kind: 'app', app_id: 'app_invitelimit' },
  });

const fullAnswer = (field: string) => ({
  status: 409,
  body: expect.objectContaining({
    code: 'conflict',
    message: `the user has ${PENDING_TIE_LIMIT} invitations they have not answered yet`,
    details: [{ path: field, message: `holds ${PENDING_TIE_LIMIT} unanswered invitations` }],
  }),
});

beforeAll(async () => {
  process.env.ASTRAL_QUIET = 'true';
  table = await createTestTable('invite-limit');
  process.env.TABLE_NAME = table;
  process.env.DYNAMODB_ENDPOINT = testDynamoDbEndpoint();
  await putItems(table, [
    ...[orgA, orgB].map((orgId) => ({
      ...keys.organization(orgId),
      entity: 'organization',
      org_id: orgId,
      org_name: orgId,
      head_coach_user_id: head,
      coaches: [],
    })),
    { ...keys.user(head), entity: 'user', user_id: head, display_name: 'Head' },
    { ...keys.user(athlete), entity: 'user', user_id: athlete, display_name: 'Much Invited', [PENDING_TIES_ATTRIBUTE]: new Set(SEEDED) },
  ]);
});

test('invitations past the limit are refused, naming the field, until the invitee answers or a tie ends', async () => {
  expect((await call(routeCalls.addMember(orgA, athlete, head))).status).toBe(201);
  expect(await unanswered()).toEqual({ counted: [profileTieAttribute.member(orgA)], pending: [profileTieAttribute.member(orgA)] });

  // The 101st, as a coach role elsewhere and as an organization's head coach: refused, nothing written.
  expect(await call(routeCalls.addCoach(orgB, athlete, head))).toEqual(fullAnswer('user_id'));
  expect(await createNamingAthlete()).toEqual(fullAnswer('head_coach_user_id'));
  const item = await profileOf(athlete);
  expect([item[profileTieAttribute.coach(orgB)], (item[PENDING_TIES_ATTRIBUTE] as Set<string>).size]).toEqual([
    undefined,
    PENDING_TIE_LIMIT,
  ]);
  expect(Object.keys(item).filter((name) => name.endsWith('#head'))).toEqual([]);

  // Declining frees the slot: the coach role now goes through, and is counted.
  expect((await call(routeCalls.answer(orgA, athlete, 'declined'))).status).toBe(200);
  expect(await unanswered()).toEqual({ counted: [], pending: [] });
  expect((await call(routeCalls.addCoach(orgB, athlete, head))).status).toBe(201);
  expect(await unanswered()).toEqual({ counted: [profileTieAttribute.coach(orgB)], pending: [profileTieAttribute.coach(orgB)] });

  // A pending tie that ends without an answer (the coach removed) frees its slot too.
  const removed = await invokeRoute('coaches-remove', {
    method: 'DELETE',
    resource: '/organizations/{org_id}/coaches/{user_id}',
    pathParameters: { org_id: orgB, user_id: athlete },
    authorizer: userPrincipal(head),
  });
  expect(removed.status).toBe(200);
  expect(await unanswered()).toEqual({ counted: [], pending: [] });
  expect((await profileOf(athlete))[PENDING_TIES_ATTRIBUTE]).toEqual(new Set(SEEDED));
});

test('an accepted invitation leaves the count, and an unknown user is still a 404', async () => {
  const other = 'usr_invitelimitokay';
  await putItems(table, [{ ...keys.user(other), entity: 'user', user_id: other, display_name: 'Answers Promptly' }]);
  expect((await call(routeCalls.addMember(orgB, other, head))).status).toBe(201);
  expect((await profileOf(other))[PENDING_TIES_ATTRIBUTE]).toEqual(new Set([profileTieAttribute.member(orgB)]));
  expect((await call(routeCalls.answer(orgB, other, 'accepted'))).status).toBe(200);
  // The last name out removes the set (DynamoDB keeps no empty set).
  expect((await profileOf(other))[PENDING_TIES_ATTRIBUTE]).toBeUndefined();

  const nobody = await call(routeCalls.addMember(orgB, 'usr_invitelimitnone', head));
  expect([nobody.status, nobody.body.message]).toEqual([404, 'user not found']);
});
