import { defineEndpoint, httpHandler, ok, ValidationError, type InputOf } from '@astral/lib/http';
import { coachIdsOf, membershipView, OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, MemberRepository, tableName } from '@astral/lib/repositories';
import { updateMemberBody, updateMemberParams } from './schema';

const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const members = new MemberRepository(client, tableName());

const endpoint = defineEndpoint({ name: 'members-update', accepts: ['user'], params: updateMemberParams, body: updateMemberBody });

export async function handle({ params, body, principal }: InputOf<typeof endpoint>) {
  const { org } = await access.require(principal, params.org_id, 'member:update', 'member_management');
  if (typeof body.assigned_coach_id === 'string' && !coachIdsOf(org).includes(body.assigned_coach_id)) {
    throw new ValidationError('invalid request: assigned_coach_id', [
      { path: 'assigned_coach_id', message: 'not a coach of this organization' },
    ]);
  }
  const member = await members.update(params.org_id, params.user_id, body, principal.user_id);
  return ok({ message: 'Member updated successfully', member: membershipView(member) });
}

export const handler = httpHandler(endpoint, handle);
