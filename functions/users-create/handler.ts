import { created, httpHandler, type InputOf } from '@astral/lib/http';
import { documentClient, newUserId, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());

export async function handle({ body, principal }: InputOf<typeof contract>) {
  const { user } = await users.create({ user_id: newUserId(), ...body }, principal.app_id);
  return created({ message: 'User created successfully', user });
}

export const handler = httpHandler(contract, handle);
