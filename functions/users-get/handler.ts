import { AthleteViews, RelationshipLoader } from '@astral/lib/athletes';
import { defineEndpoint, httpHandler, NotFoundError, ok, userIdField, z, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';

const views = new AthleteViews(new RelationshipLoader(documentClient(), tableName()));

const endpoint = defineEndpoint({ name: 'users-get', accepts: ['user', 'app'], params: z.strictObject({ user_id: userIdField }) });

/** A user's profile in privacy context `profile`: the identity card, plus what their settings open to this viewer. */
export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  const { user, relationship } = await views.athlete(principal, params.user_id);
  if (!user) throw new NotFoundError('user not found');
  const view = views.profile(user, views.decisionFor(user, relationship, 'profile'));
  if (!view) throw new NotFoundError('user not found');
  return ok(view);
}

export const handler = httpHandler(endpoint, handle);
