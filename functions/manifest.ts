/**
 * The route manifest: the one list of endpoints. The CDK stack creates one Lambda and one API
 * Gateway method per entry; the local runtime serves the same entries. Nothing else lists routes.
 */
import type { PlanFeature } from '../lib/config/plans';

export type CredentialKind = 'app' | 'user';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** What a function may do to the table; the stack grants exactly this (least privilege). */
export type TableAccess = 'none' | 'read' | 'readwrite';

export interface RouteDefinition {
  /** `<resource>-<action>`; also the function's folder under functions/. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` segments. */
  readonly path: string;
  /** Handler source, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** Credential kinds accepted; empty means a public method with no authorizer. */
  readonly credentials: readonly CredentialKind[];
  /** Plan feature the organization must have (checked by the handler against the org's plan). */
  readonly feature?: PlanFeature;
  readonly tableAccess: TableAccess;
}

export interface FunctionDefinition {
  readonly name: string;
  readonly entry: string;
  readonly tableAccess: TableAccess;
}

export const API_PREFIX = '/api/v1';

const route = (def: Omit<RouteDefinition, 'entry' | 'path'> & { path: string }): RouteDefinition => ({
  ...def,
  path: `${API_PREFIX}${def.path}`,
  entry: `functions/${def.name}/handler.ts`,
});

export const ROUTES: readonly RouteDefinition[] = [
  route({ name: 'organizations-create', method: 'POST', path: '/organizations', credentials: ['app'], tableAccess: 'readwrite' }),
  route({ name: 'organizations-get', method: 'GET', path: '/organizations/{org_id}', credentials: [], tableAccess: 'read' }),
  route({
    name: 'members-view',
    method: 'GET',
    path: '/organizations/{org_id}/members/{user_id}',
    credentials: ['user'],
    tableAccess: 'read',
  }),
  route({ name: 'organizations-update', method: 'PUT', path: '/organizations/{org_id}', credentials: ['user'], tableAccess: 'readwrite' }),
  route({
    name: 'members-add',
    method: 'POST',
    path: '/organizations/{org_id}/members',
    credentials: ['user'],
    feature: 'member_management',
    tableAccess: 'readwrite',
  }),
  route({ name: 'members-list', method: 'GET', path: '/organizations/{org_id}/members', credentials: ['user'], tableAccess: 'read' }),
  route({
    name: 'members-update',
    method: 'PUT',
    path: '/organizations/{org_id}/members/{user_id}',
    credentials: ['user'],
    feature: 'member_management',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'members-remove',
    method: 'DELETE',
    path: '/organizations/{org_id}/members/{user_id}',
    credentials: ['user'],
    feature: 'member_management',
    tableAccess: 'readwrite',
  }),
  route({ name: 'coaches-add', method: 'POST', path: '/organizations/{org_id}/coaches', credentials: ['user'], tableAccess: 'readwrite' }),
  route({
    name: 'coaches-remove',
    method: 'DELETE',
    path: '/organizations/{org_id}/coaches/{user_id}',
    credentials: ['user'],
    tableAccess: 'readwrite',
  }),
  route({
    name: 'groups-create',
    method: 'POST',
    path: '/organizations/{org_id}/groups',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'groups-list',
    method: 'GET',
    path: '/organizations/{org_id}/groups',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'read',
  }),
  route({
    name: 'groups-get',
    method: 'GET',
    path: '/organizations/{org_id}/groups/{group_id}',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'read',
  }),
  route({
    name: 'groups-update',
    method: 'PUT',
    path: '/organizations/{org_id}/groups/{group_id}',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'groups-delete',
    method: 'DELETE',
    path: '/organizations/{org_id}/groups/{group_id}',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'group-members-add',
    method: 'POST',
    path: '/organizations/{org_id}/groups/{group_id}/members',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'group-members-remove',
    method: 'DELETE',
    path: '/organizations/{org_id}/groups/{group_id}/members/{user_id}',
    credentials: ['user'],
    feature: 'training_groups',
    tableAccess: 'readwrite',
  }),
  route({
    name: 'leaderboard-get',
    method: 'GET',
    path: '/organizations/{org_id}/leaderboard',
    credentials: ['user'],
    tableAccess: 'read',
  }),
  route({ name: 'feed-list', method: 'GET', path: '/organizations/{org_id}/feed', credentials: ['user'], tableAccess: 'read' }),
  route({
    name: 'audit-logs-list',
    method: 'GET',
    path: '/organizations/{org_id}/audit-logs',
    credentials: ['user'],
    feature: 'audit_log',
    tableAccess: 'read',
  }),
  route({ name: 'users-create', method: 'POST', path: '/users', credentials: ['app'], tableAccess: 'readwrite' }),
  route({ name: 'users-me', method: 'GET', path: '/users/me', credentials: ['user'], tableAccess: 'readwrite' }),
  route({ name: 'memberships-list', method: 'GET', path: '/users/me/memberships', credentials: ['user'], tableAccess: 'read' }),
  route({
    name: 'memberships-answer',
    method: 'PUT',
    path: '/users/me/memberships/{org_id}',
    credentials: ['user'],
    tableAccess: 'readwrite',
  }),
  route({ name: 'users-get', method: 'GET', path: '/users/{user_id}', credentials: ['user', 'app'], tableAccess: 'read' }),
  route({ name: 'users-update', method: 'PUT', path: '/users/{user_id}', credentials: ['user'], tableAccess: 'readwrite' }),
  route({
    name: 'activities-create',
    method: 'POST',
    path: '/users/{user_id}/activities',
    credentials: ['user'],
    tableAccess: 'readwrite',
  }),
  route({ name: 'activities-list', method: 'GET', path: '/users/{user_id}/activities', credentials: ['user', 'app'], tableAccess: 'read' }),
  route({
    name: 'activities-get',
    method: 'GET',
    path: '/users/{user_id}/activities/{activity_id}',
    credentials: ['user', 'app'],
    tableAccess: 'read',
  }),
  route({
    name: 'activities-delete',
    method: 'DELETE',
    path: '/users/{user_id}/activities/{activity_id}',
    credentials: ['user'],
    tableAccess: 'readwrite',
  }),
  route({ name: 'privacy-preview', method: 'GET', path: '/users/{user_id}/privacy/preview', credentials: ['user'], tableAccess: 'read' }),
];

/** The one REQUEST authorizer in front of every non-public method. */
export const AUTHORIZER: FunctionDefinition = { name: 'authorizer', entry: 'functions/authorizer/handler.ts', tableAccess: 'read' };

/** Consumers of the table's change stream. */
export const STREAM_CONSUMERS: readonly FunctionDefinition[] = [
  { name: 'audit-log', entry: 'functions/audit-log/handler.ts', tableAccess: 'readwrite' },
  // Projects activity inserts and deletes into each organization's feed (lib/feed).
  { name: 'feed-projector', entry: 'functions/feed-projector/handler.ts', tableAccess: 'readwrite' },
];
