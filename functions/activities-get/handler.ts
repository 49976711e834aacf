import { AthleteViews } from '@astral/lib/athletes';
import { httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { ActivityRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const activities = new ActivityRepository(documentClient(), tableName());
const views = new AthleteViews(documentClient(), tableName());

/** One activity in privacy context `activity`; one the viewer may not see is a 404, exactly like one that does not exist. */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const [activity, owner] = await Promise.all([
    activities.get(params.user_id, params.activity_id),
    views.relate(principal, [params.user_id], 'activity'),
  ]);
  if (!activity) throw new NotFoundError('activity not found');
  const [view] = owner.activities(params.user_id, [activity], owner.decide(params.user_id, 'activity'));
  if (!view) throw new NotFoundError('activity not found');
  return ok(view);
}

export const handler = httpHandler(contract, handle);
