export { z } from 'zod';
export * from '../errors';
export type { AppPrincipal, Principal, UserPrincipal } from '../auth/principal';
export { httpHandler, type CredentialKind, type EndpointInput, type EndpointSpec, type Handle } from './pipeline';
export { created, ok, type HttpResponse } from './response';
export { log } from './logger';
export { parseWith, issuesToDetails } from './validation';
