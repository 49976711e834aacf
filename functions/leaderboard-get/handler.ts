import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { LeaderboardReader, now, positionFromToken, positionToToken } from '@astral/lib/leaderboards';
import { documentClient, tableName } from '@astral/lib/db';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const client = documentClient();
const leaderboards = new LeaderboardReader(client, tableName());

/**
 * One page of the organization's leaderboard for this viewer (privacy context `leaderboard`), ranked
 * after filtering; the reader authorizes (`leaderboard:read`) on the organization item it reads with
 * the page's profiles. The token carries the board position and how many entries came before.
 */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  const fingerprint = queryFingerprint({
    list: 'leaderboard',
    org_id: params.org_id,
    metric: query.metric,
    period: query.period,
    group_id: query.group_id,
  });
  const start = positionFromToken(pageTokens.decode(query.next_token, fingerprint));
  const page = await leaderboards.page(principal, params.org_id, {
    metric: query.metric,
    period: query.period,
    now: now(),
    groupId: query.group_id,
    limit: query.limit,
    start,
  });
  const nextToken = pageTokens.encode(positionToToken(page.next), fingerprint);
  return ok({
    metric: query.metric,
    period: query.period,
    entries: page.entries,
    count: page.entries.length,
    ...(nextToken ? { next_token: nextToken } : {}),
  });
}

export const handler = httpHandler(contract, handle);
