/**
 * The route manifest: the one list of endpoints, each described by its contract
 * (functions/<name>/contract.ts). The CDK stack creates one Lambda and one API Gateway method per
 * entry; the local runtime serves the same entries; tools/openapi documents them. Nothing else lists routes.
 */
import { API_PREFIX, type CredentialKind, type EndpointContract, type HttpMethod, type TableAccess } from '../lib/http/contract';
import type { PlanFeature } from '../lib/config/plans';
import { contract as organizationsCreate } from './organizations-create/contract';
import { contract as organizationsGet } from './organizations-get/contract';
import { contract as membersView } from './members-view/contract';
import { contract as organizationsUpdate } from './organizations-update/contract';
import { contract as membersAdd } from './members-add/contract';
import { contract as membersList } from './members-list/contract';
import { contract as membersUpdate } from './members-update/contract';
import { contract as membersRemove } from './members-remove/contract';
import { contract as coachesAdd } from './coaches-add/contract';
import { contract as coachesRemove } from './coaches-remove/contract';
import { contract as groupsCreate } from './groups-create/contract';
import { contract as groupsList } from './groups-list/contract';
import { contract as groupsGet } from './groups-get/contract';
import { contract as groupsUpdate } from './groups-update/contract';
import { contract as groupsDelete } from './groups-delete/contract';
import { contract as groupMembersAdd } from './group-members-add/contract';
import { contract as groupMembersRemove } from './group-members-remove/contract';
import { contract as leaderboardGet } from './leaderboard-get/contract';
import { contract as feedList } from './feed-list/contract';
import { contract as auditLogsList } from './audit-logs-list/contract';
import { contract as usersCreate } from './users-create/contract';
import { contract as usersMe } from './users-me/contract';
import { contract as membershipsList } from './memberships-list/contract';
import { contract as accessLogList } from './access-log-list/contract';
import { contract as usersExport } from './users-export/contract';
import { contract as usersErase } from './users-erase/contract';
import { contract as membershipsAnswer } from './memberships-answer/contract';
import { contract as usersGet } from './users-get/contract';
import { contract as usersUpdate } from './users-update/contract';
import { contract as activitiesCreate } from './activities-create/contract';
import { contract as activitiesList } from './activities-list/contract';
import { contract as activitiesGet } from './activities-get/contract';
import { contract as activitiesDelete } from './activities-delete/contract';
import { contract as privacyPreview } from './privacy-preview/contract';
import { contract as openapiGet } from './openapi-get/contract';

export { API_PREFIX, type CredentialKind, type HttpMethod, type TableAccess };

export interface RouteDefinition {
  /** `<resource>-<action>`; also the function's folder under functions/. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API Gateway resource path (API_PREFIX included), with `{param}` segments. */
  readonly path: string;
  /** Handler source, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Credential kinds accepted; empty means a public method with no authorizer. */
  readonly credentials: readonly CredentialKind[];
  /** Plan feature the organization must have (checked by the handler against the org's plan). */
  readonly feature?: PlanFeature;
  readonly tableAccess: TableAccess;
  /** Takes `next_token`: the function seals page tokens and holds the page-token key (ADR 0010). */
  readonly pageTokens: boolean;
  /** Everything else about the endpoint: schemas, responses, documentation. */
  readonly contract: EndpointContract;
}

export interface FunctionDefinition {
  readonly name: string;
  readonly entry: string;
  readonly tableAccess: TableAccess;
}

/** Whether a contract's query takes `next_token` (read from its zod object's shape). */
function takesPageToken(contract: EndpointContract): boolean {
  const def = contract.query?._zod.def;
  return def?.type === 'object' && 'shape' in def && typeof def.shape === 'object' && def.shape !== null && 'next_token' in def.shape;
}

/** A contract as the stack and the local gateway route it. */
const route = (contract: EndpointContract): RouteDefinition => ({
  name: contract.name,
  method: contract.method,
  path: `${API_PREFIX}${contract.path}`,
  entry: `functions/${contract.name}/handler.ts`,
  credentials: contract.credentials,
  ...(contract.feature ? { feature: contract.feature } : {}),
  tableAccess: contract.tableAccess,
  pageTokens: takesPageToken(contract),
  contract,
});

export const ROUTES: readonly RouteDefinition[] = [
  organizationsCreate,
  organizationsGet,
  membersView,
  organizationsUpdate,
  membersAdd,
  membersList,
  membersUpdate,
  membersRemove,
  coachesAdd,
  coachesRemove,
  groupsCreate,
  groupsList,
  groupsGet,
  groupsUpdate,
  groupsDelete,
  groupMembersAdd,
  groupMembersRemove,
  leaderboardGet,
  feedList,
  auditLogsList,
  usersCreate,
  usersMe,
  membershipsList,
  accessLogList,
  usersExport,
  usersErase,
  membershipsAnswer,
  usersGet,
  usersUpdate,
  activitiesCreate,
  activitiesList,
  activitiesGet,
  activitiesDelete,
  privacyPreview,
  openapiGet,
].map(route);

/** The one REQUEST authorizer in front of every non-public method. */
export const AUTHORIZER: FunctionDefinition = { name: 'authorizer', entry: 'functions/authorizer/handler.ts', tableAccess: 'read' };

/** Consumers of the table's change stream. */
export const STREAM_CONSUMERS: readonly FunctionDefinition[] = [
  { name: 'audit-log', entry: 'functions/audit-log/handler.ts', tableAccess: 'readwrite' },
  // Projects activity inserts and deletes into each organization's feed (lib/feed).
  { name: 'feed-projector', entry: 'functions/feed-projector/handler.ts', tableAccess: 'readwrite' },
  // Keeps the leaderboards' ranked read model (ADR 0013) from profile and group writes (lib/leaderboards).
  { name: 'leaderboard-projector', entry: 'functions/leaderboard-projector/handler.ts', tableAccess: 'readwrite' },
  // Runs erasure jobs (ADR 0020), one bounded pass per write of the job item.
  { name: 'erasure', entry: 'functions/erasure/handler.ts', tableAccess: 'readwrite' },
];
