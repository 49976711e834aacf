import { defineEndpoint, httpHandler, ok, type InputOf } from '@astral/lib/http';
import { Memberships } from '@astral/lib/organizations';
import { documentClient, tableName } from '@astral/lib/repositories';

const memberships = new Memberships(documentClient(), tableName());

const endpoint = defineEndpoint({ name: 'memberships-list', accepts: ['user'] });

/** Every tie the caller holds (member, coach, head coach), with its consent (privacy.md §8). */
export async function handle({ principal }: InputOf<typeof endpoint>) {
  const entries = await memberships.list(principal.user_id);
  return ok({ memberships: entries, count: entries.length });
}

export const handler = httpHandler(endpoint, handle);
