import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { OrganizationAccess } from '@astral/lib/organizations';
import { documentClient, GroupRepository, groupView, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const client = documentClient();
const access = new OrganizationAccess(client, tableName());
const groups = new GroupRepository(client, tableName());

/** Members see their organization's groups too (api.md: "GET: members too"). */
export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  await access.require(principal, params.org_id, 'group:list', contract.feature);
  const fingerprint = queryFingerprint({ list: 'groups', org_id: params.org_id });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  const page = await groups.listPage(params.org_id, query.limit, startKey);
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ groups: page.items.map(groupView), count: page.items.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
