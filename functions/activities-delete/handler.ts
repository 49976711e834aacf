import { ACTIVITY_ID_PATTERN } from '@astral/lib/activities';
import { defineEndpoint, ForbiddenError, httpHandler, ok, userIdField, z, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { ActivityRepository } from '@astral/lib/repositories';

const activities = new ActivityRepository(documentClient(), tableName());

const endpoint = defineEndpoint({
  name: 'activities-delete',
  accepts: ['user'],
  params: z.strictObject({ user_id: userIdField, activity_id: z.string().check(z.regex(ACTIVITY_ID_PATTERN, 'must be an activity id')) }),
});

export async function handle({ params, principal }: InputOf<typeof endpoint>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may delete their activities');
  await activities.delete(params.user_id, params.activity_id);
  return ok({ message: 'Activity deleted successfully' });
}

export const handler = httpHandler(endpoint, handle);
