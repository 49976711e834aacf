import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { Memberships } from '@astral/lib/organizations';
import { documentClient, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const memberships = new Memberships(documentClient(), tableName());

/** Every tie the caller holds (member, coach, head coach), with its consent (privacy.md §8). */
export async function handle({ principal }: InputOf<typeof contract>) {
  const entries = await memberships.list(principal.user_id);
  return ok({ memberships: entries, count: entries.length });
}

export const handler = httpHandler(contract, handle);
