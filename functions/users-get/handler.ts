import { AthleteViews } from '@astral/lib/athletes';
import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { contract } from './contract';

const views = new AthleteViews(documentClient(), tableName());

/** A user's profile in privacy context `profile`: the identity card, plus what their settings open to this viewer. */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const athlete = await views.relate(principal, [params.user_id], 'profile');
  const view = athlete.profile(params.user_id, athlete.decide(params.user_id, 'profile'));
  if (!view) throw new NotFoundError('user not found');
  return ok(view);
}

export const handler = httpHandler(contract, handle);
