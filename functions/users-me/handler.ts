import { ownerProfile } from '@astral/lib/athletes';
import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { documentClient, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());

/** The caller's own profile; the first call creates it from the token's claims. */
export async function handle({ principal }: InputOf<typeof contract>) {
  const { user } = await users.getOrCreate(
    { user_id: principal.user_id, display_name: principal.name ?? principal.user_id },
    principal.user_id,
  );
  return ok(ownerProfile(user));
}

export const handler = httpHandler(contract, handle);
