import { ForbiddenError, httpHandler, ok, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { ActivityRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const activities = new ActivityRepository(documentClient(), tableName());

export async function handle({ params, principal }: InputOf<typeof contract>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may delete their activities');
  await activities.delete(params.user_id, params.activity_id);
  return ok({ message: 'Activity deleted successfully' });
}

export const handler = httpHandler(contract, handle);
