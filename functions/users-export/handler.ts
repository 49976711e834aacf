import { httpHandler, JsonText, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { documentClient, tableName } from '@astral/lib/db';
import { cursorFromRecord, cursorToRecord, DataExport, exportPageText } from '@astral/lib/export';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const exporter = new DataExport(documentClient(), tableName());

/** One page (≤ 1 MB) of everything held about the caller; the sealed token says where the next starts. */
export async function handle({ query, principal }: InputOf<typeof contract>) {
  const fingerprint = queryFingerprint({ route: 'users-export', user_id: principal.user_id });
  const cursor = cursorFromRecord(pageTokens.decode(query.next_token, fingerprint));
  const page = await exporter.page(principal.user_id, cursor);
  const nextToken = page.next ? pageTokens.encode(cursorToRecord(page.next), fingerprint) : undefined;
  // Each item was serialized once, to fit the page: the response is that text, not serialized again.
  return ok(new JsonText(exportPageText(page, nextToken)));
}

export const handler = httpHandler(contract, handle);
