import { AccessLogRepository } from '@astral/lib/access';
import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const accessLog = new AccessLogRepository(documentClient(), tableName());

/** The caller's access log (ADR 0019): one Query newest day first, the viewers' names read with it. */
export async function handle({ query, principal }: InputOf<typeof contract>) {
  const fingerprint = queryFingerprint({ route: 'access-log-list', user_id: principal.user_id });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  const page = await accessLog.list(principal.user_id, { limit: query.limit, ...(startKey ? { startKey } : {}) });
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ entries: page.entries, count: page.entries.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
