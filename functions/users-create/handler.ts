import { created, httpHandler, type InputOf } from '@astral/lib/http';
import { documentClient, newUserId, tableName, type User, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());

const respond = (user: User) => created({ message: 'User created successfully', user });

export async function handle({ body, principal, idempotency }: InputOf<typeof contract>) {
  // With an Idempotency-Key, its record of the response is written with the user (ADR 0011).
  const record = idempotency ? (user: User) => idempotency.record(respond(user)) : undefined;
  return respond((await users.create({ user_id: newUserId(), ...body }, principal.app_id, record)).user);
}

export const handler = httpHandler(contract, handle);
