import { ConflictError, created, httpHandler, NotFoundError, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { CoachRepository, documentClient, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const users = new UserRepository(client, tableName());
const coaches = new CoachRepository(client, tableName());

export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'coach:add');
  if (body.user_id === org.head_coach_user_id)
    throw new ConflictError('the head coach already coaches this organization', [{ path: 'user_id', message: 'is the head coach' }]);
  const user = await users.get(body.user_id);
  if (!user) throw new NotFoundError('user not found');
  const coach = await coaches.add(params.org_id, { user_id: body.user_id, name: user.display_name, role: body.role }, principal.user_id);
  return created({ message: 'Coach added successfully', coach });
}

export const handler = httpHandler(contract, handle);
