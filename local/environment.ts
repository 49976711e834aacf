import { ENV } from '../lib/config/env';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';
import { newPageTokenSecret } from './page-token-secret';
import { LOCAL_ADMIN_CLAIM, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from './signing-key';

/** Locally the user-traffic plan is only a name: the gateway checks that a usage identifier is present. */
export const LOCAL_USER_USAGE_KEY = 'astral-local-user-traffic';

export interface LocalEnvironment {
  readonly tableName: string;
  readonly dynamoDbEndpoint: string;
  /** The local gateway's own /.well-known/jwks.json, so the authorizer takes its real remote-JWKS path. */
  readonly jwksUrl: string;
  /** The page-token secret (local/page-token-secret.ts); one per process when not given and not set already. */
  readonly pageTokenSecret?: string;
}

/**
 * The environment the stack gives every function, pointed at the local pieces. All local functions
 * share one process, so they share it. Handlers read it at module load: apply it before the first
 * handler import. The SDK endpoint and credential variables make sure that a client built without an
 * explicit endpoint still talks to DynamoDB Local, never to AWS.
 */
export function applyLocalEnvironment(env: LocalEnvironment): void {
  Object.assign(process.env, {
    [ENV.tableName]: env.tableName,
    [ENV.dynamoDbEndpoint]: env.dynamoDbEndpoint,
    [ENV.tokenIssuer]: LOCAL_TOKEN_ISSUER,
    [ENV.tokenAudience]: LOCAL_TOKEN_AUDIENCE,
    [ENV.jwksUrl]: env.jwksUrl,
    [ENV.adminClaim]: LOCAL_ADMIN_CLAIM,
    [ENV.userUsageKey]: LOCAL_USER_USAGE_KEY,
    [ENV.pageTokenSecret]: env.pageTokenSecret ?? process.env[ENV.pageTokenSecret] ?? newPageTokenSecret(),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: env.dynamoDbEndpoint,
    // What Lambda sets for an environment that was not provisioned ahead: the loggers' `cold_start`
    // reads it (one process serves every local function, so only its first request is cold).
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
