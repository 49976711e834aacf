import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { AuditLogReader, documentClient, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const logs = new AuditLogReader(client, tableName());

export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'audit:list', contract.feature);
  const filter = query.event_type !== undefined ? { event_type: query.event_type } : {};
  const fingerprint = queryFingerprint({ list: 'audit', org_id: params.org_id, ...filter });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  const page = await logs.listPage(params.org_id, filter, query.limit, startKey);
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ logs: page.items, count: page.items.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
