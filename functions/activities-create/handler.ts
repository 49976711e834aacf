import { newActivityId, withDerivedPace, type Activity } from '@astral/lib/activities';
import { ownerActivity } from '@astral/lib/athletes';
import { created, ForbiddenError, httpHandler, type InputOf } from '@astral/lib/http';
import { ActivityRepository, documentClient, nowIso, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const activities = new ActivityRepository(documentClient(), tableName());
const users = new UserRepository(documentClient(), tableName());

export async function handle({ params, body, principal, idempotency }: InputOf<typeof contract>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may record their activities');
  const activity: Activity = {
    ...withDerivedPace(body),
    activity_id: newActivityId(body.start_time),
    user_id: params.user_id,
    created_at: nowIso(),
  };
  const response = created({ message: 'Activity created successfully', activity: ownerActivity(activity) });
  // With an Idempotency-Key, its record of this response is written in the activity's own transaction.
  const record = idempotency?.record(response);
  // The common case is one transaction; a user who never called /users/me gets their profile first
  // (the totals live on it), from the token's claims like /users/me would.
  if (!(await activities.create(activity, record))) {
    await users.getOrCreate({ user_id: principal.user_id, display_name: principal.name ?? principal.user_id }, principal.user_id);
    if (!(await activities.create(activity, record))) throw new Error('activity owner profile missing after creating it');
  }
  return response;
}

export const handler = httpHandler(contract, handle);
