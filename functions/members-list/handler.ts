import { httpHandler, ok, pageTokensFromEnv, queryFingerprint, type InputOf } from '@astral/lib/http';
import { RosterReader } from '@astral/lib/organizations';
import { documentClient, nowIso, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const pageTokens = pageTokensFromEnv();
const client = documentClient();
const roster = new RosterReader(client, tableName());

export async function handle({ params, query, principal }: InputOf<typeof contract>) {
  const filters = {
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.member_level !== undefined ? { member_level: query.member_level } : {}),
    ...(query.label !== undefined ? { label: query.label } : {}),
    ...(query.assigned_to_coach_id !== undefined ? { assigned_to_coach_id: query.assigned_to_coach_id } : {}),
  };
  const fingerprint = queryFingerprint({ list: 'members', org_id: params.org_id, ...filters });
  const startKey = pageTokens.decode(query.next_token, fingerprint);
  // The reader authorizes (`member:list`) on the organization item it reads with the page.
  const page = await roster.page(principal, params.org_id, {
    filters,
    limit: query.limit,
    includeProfileStatus: query.include_profile_status,
    today: nowIso().slice(0, 10),
    ...(startKey ? { startKey } : {}),
  });
  const nextToken = pageTokens.encode(page.lastKey, fingerprint);
  return ok({ members: page.members, count: page.members.length, ...(nextToken ? { next_token: nextToken } : {}) });
}

export const handler = httpHandler(contract, handle);
