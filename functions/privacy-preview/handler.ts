import { ForbiddenError, httpHandler, ok, type InputOf } from '@astral/lib/http';
import { buildPreview } from '@astral/lib/policy';
import { ActivityRepository, documentClient, tableName, UserRepository } from '@astral/lib/repositories';
import { contract } from './contract';

const users = new UserRepository(documentClient(), tableName());
const activities = new ActivityRepository(documentClient(), tableName());

/** The same first page (of summaries) the activities endpoint returns, so the preview shows exactly what that audience would get. */
const PREVIEW_PAGE = 50;

/** The owner's preview of what an audience sees of them, with the rules that decided it. */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  if (principal.user_id !== params.user_id) throw new ForbiddenError('only the user may preview their privacy');
  // The owner's own settings and page: neither read decides whether the other is needed, so both at once.
  const [stored, page] = await Promise.all([
    users.get(params.user_id),
    query.context === 'activity' ? activities.listSummaries(params.user_id, { limit: PREVIEW_PAGE }) : { summaries: [] },
  ]);
  const user = stored ?? { user_id: params.user_id, display_name: principal.name ?? params.user_id };
  return ok(buildPreview({ as: query.as, context: query.context, user, activities: page.summaries }));
}

export const handler = httpHandler(contract, handle);
