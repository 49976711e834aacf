import { AthleteViews } from '@astral/lib/athletes';
import { httpHandler, NotFoundError, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { ActivityRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const activities = new ActivityRepository(documentClient(), tableName());
const views = new AthleteViews(documentClient(), tableName());

/**
 * A user's activities as summaries (docs/adr/0017), newest first, in privacy context `activity`: what
 * the viewer may not see is left out. The whole activity is `GET …/activities/{activity_id}`.
 */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  const fingerprint = queryFingerprint({ route: 'activities-list', user_id: params.user_id });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  const owner = await views.relate(principal, [params.user_id], 'activity');
  if (!owner.profileOf(params.user_id)) throw new NotFoundError('user not found');
  const decision = owner.decide(params.user_id, 'activity');
  // Without an audience nothing would survive shaping: skip the read altogether.
  if (!decision.audience) return ok({ activities: [], count: 0 });
  const page = await activities.listSummaries(params.user_id, { limit: query.limit, ...(startKey ? { startKey } : {}) });
  const visible = owner.activities(params.user_id, page.summaries, decision);
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ activities: visible, count: visible.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
