import { created, httpHandler, NotFoundError, type InputOf } from '@astral/lib/http';
import { membershipView, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, MemberRepository, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const users = new UserRepository(client, tableName());
const members = new MemberRepository(client, tableName());

export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'member:add', contract.feature);
  const user = await users.get(body.user_id);
  if (!user) throw new NotFoundError('user not found');
  const member = await members.add(
    params.org_id,
    {
      user_id: body.user_id,
      athlete_name: user.display_name,
      display_name: body.display_name,
      member_level: body.member_level,
      labels: body.labels,
    },
    principal.user_id,
    org.head_coach_user_id,
  );
  const { assigned_coach_id: _none, ...view } = membershipView(member);
  void _none;
  return created({ message: 'Member added successfully', member: view });
}

export const handler = httpHandler(contract, handle);
