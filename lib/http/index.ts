export * as z from './zod-mini';
export * from '../errors';
export type { AppPrincipal, Principal, UserPrincipal } from '../auth/principal';
export { httpHandler, type EndpointInput, type Handle, type InputOf } from './pipeline';
export {
  API_PREFIX,
  DEFAULT_MAX_BODY_BYTES,
  defineContract,
  errorStatusesOf,
  type ContractErrorStatus,
  type CredentialKind,
  type EndpointContract,
  type ErrorStatus,
  type HttpMethod,
  type SuccessStatus,
  type TableAccess,
} from './contract';
export * from './fields';
export { created, JsonText, ok, type HttpResponse } from './response';
export { parseWith, issuesToDetails } from './validation';
export { createPageTokens, pageTokensFromEnv, queryFingerprint, type PageTokens } from './page-token';
