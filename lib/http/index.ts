export * as z from './zod-mini';
export * from '../errors';
export type { AppPrincipal, Principal, UserPrincipal } from '../auth/principal';
export {
  defineEndpoint,
  httpHandler,
  type CredentialKind,
  type EndpointInput,
  type EndpointSpec,
  type Handle,
  type InputOf,
} from './pipeline';
export * from './fields';
export { created, ok, type HttpResponse } from './response';
export { parseWith, issuesToDetails } from './validation';
export { decodePageToken, encodePageToken, queryFingerprint } from './page-token';
