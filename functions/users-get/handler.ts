import { AthleteViews } from '@astral/lib/athletes';
import { defineEndpoint, httpHandler, NotFoundError, ok, userIdField, z, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';

const views = new AthleteViews(documentClient(), tableName());

const endpoint = defineEndpoint({ name: 'users-get', accepts: ['user', 'app'], params: z.strictObject({ user_id: userIdField }) });

/** A user's profile in privacy context `profile`: the identity card, plus what their settings open to this viewer. */
export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  const athlete = await views.relate(principal, [params.user_id]);
  const view = athlete.profile(params.user_id, athlete.decide(params.user_id, 'profile'));
  if (!view) throw new NotFoundError('user not found');
  return ok(view);
}

export const handler = httpHandler(endpoint, handle);
