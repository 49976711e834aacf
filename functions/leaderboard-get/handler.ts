import { httpHandler, ok, type InputOf } from '@astral/lib/http';
import { LeaderboardReader, now } from '@astral/lib/leaderboards';
import { documentClient, tableName } from '@astral/lib/db';
import { contract } from './contract';

const client = documentClient();
const leaderboards = new LeaderboardReader(client, tableName());

/**
 * The organization's leaderboard for this viewer (privacy context `leaderboard`), ranked after
 * filtering; the reader authorizes (`leaderboard:read`) on the organization item its roster read carries.
 */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  const entries = await leaderboards.read(principal, params.org_id, {
    metric: query.metric,
    period: query.period,
    now: now(),
    groupId: query.group_id,
  });
  return ok({ metric: query.metric, period: query.period, entries, count: entries.length });
}

export const handler = httpHandler(contract, handle);
