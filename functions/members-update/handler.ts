import { httpHandler, ok, ValidationError, type InputOf } from '@astral/lib/http';
import { coachIdsOf, membershipView, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, MemberRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const members = new MemberRepository(client, tableName());

export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  const { org } = await access.require(principal, params.org_id, 'member:update', contract.feature);
  if (typeof body.assigned_coach_id === 'string' && !coachIdsOf(org).includes(body.assigned_coach_id)) {
    throw new ValidationError('invalid request: assigned_coach_id', [
      { path: 'assigned_coach_id', message: 'not a coach of this organization' },
    ]);
  }
  const member = await members.update(params.org_id, params.user_id, body, principal.user_id);
  return ok({ message: 'Member updated successfully', member: membershipView(member) });
}

export const handler = httpHandler(contract, handle);
