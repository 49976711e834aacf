import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { Memberships } from '@astral/lib/organizations';
import { documentClient, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const memberships = new Memberships(documentClient(), tableName());

/**
 * The caller accepts or declines every pending tie they hold in the organization (privacy.md §8):
 * 404 when they hold none there, 409 when they already answered.
 */
export async function handle({ params, body, principal }: InputOf<typeof contract>) {
  const membership = await memberships.answer(principal.user_id, params.org_id, body.consent);
  return ok({ message: body.consent === 'accepted' ? 'Membership accepted' : 'Membership declined', membership });
}

export const handler = httpHandler(contract, handle);
