import { FeedReader } from '@astral/lib/feed';
import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const client = documentClient();
const feed = new FeedReader(client, tableName());

/** Recent activities of the organization's members, newest first (privacy context `feed`). */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  const fingerprint = queryFingerprint({ list: 'feed', org_id: params.org_id });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  // The reader authorizes (`feed:read`) on the organization item it reads with the page's profiles.
  const page = await feed.page(principal, params.org_id, { limit: query.limit, ...(startKey ? { startKey } : {}) });
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ activities: page.activities, count: page.activities.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
