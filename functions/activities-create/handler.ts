import { ActivityRepository, activityInputSchema, newActivityId, withDerivedPace, type Activity } from '@astral/lib/activities';
import { ownerActivity } from '@astral/lib/athletes';
import { created, defineEndpoint, ForbiddenError, httpHandler, userIdField, z, type InputOf } from '@astral/lib/http';
import { documentClient, nowIso, tableName } from '@astral/lib/repositories';

const activities = new ActivityRepository(documentClient(), tableName());

const endpoint = defineEndpoint({ name: 'activities-create', accepts: ['user'], params: z.object({ user_id: userIdField }).strict(), body: activityInputSchema, maxBodyBytes: 300 * 1024 });

export async function handle({ params, body, principal }: InputOf<typeof endpoint>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may record their activities');
  const activity: Activity = { ...withDerivedPace(body), activity_id: newActivityId(body.start_time), user_id: params.user_id, created_at: nowIso() };
  await activities.create(activity);
  return created({ message: 'Activity created successfully', activity: ownerActivity(activity) });
}

export const handler = httpHandler(endpoint, handle);
