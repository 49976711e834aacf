import { defineEndpoint, httpHandler, ok, orgIdField, z, type InputOf } from '@astral/lib/http';
import { LEADERBOARD_METRICS, LEADERBOARD_PERIODS, LeaderboardReader, now } from '@astral/lib/leaderboards';
import { groupIdField } from '@astral/lib/organizations';
import { documentClient, tableName } from '@astral/lib/db';

const client = documentClient();
const leaderboards = new LeaderboardReader(client, tableName());

const endpoint = defineEndpoint({
  name: 'leaderboard-get',
  accepts: ['user'],
  params: z.strictObject({ org_id: orgIdField }),
  query: z.strictObject({ metric: z.enum(LEADERBOARD_METRICS), period: z.enum(LEADERBOARD_PERIODS), group_id: z.optional(groupIdField) }),
});

/**
 * The organization's leaderboard for this viewer (privacy context `leaderboard`), ranked after
 * filtering; the reader authorizes (`leaderboard:read`) on the organization item its roster read carries.
 */
export async function handle({ params, query, principal }: InputOf<typeof endpoint>) {
  const entries = await leaderboards.read(principal, params.org_id, {
    metric: query.metric,
    period: query.period,
    now: now(),
    groupId: query.group_id,
  });
  return ok({ metric: query.metric, period: query.period, entries, count: entries.length });
}

export const handler = httpHandler(endpoint, handle);
