import { created, defineEndpoint, httpHandler, type InputOf } from '@astral/lib/http';
import { documentClient, newUserId, tableName, UserRepository } from '@astral/lib/repositories';
import { createUserBody } from './schema';

const users = new UserRepository(documentClient(), tableName());

const endpoint = defineEndpoint({ name: 'users-create', accepts: ['app'], body: createUserBody });

export async function handle({ body, principal }: InputOf<typeof endpoint>) {
  const { user } = await users.create({ user_id: newUserId(), ...body }, principal.app_id);
  return created({ message: 'User created successfully', user });
}

export const handler = httpHandler(endpoint, handle);
