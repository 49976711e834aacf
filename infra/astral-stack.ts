import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { API_PREFIX, AUTHORIZER, ROUTES, STREAM_CONSUMERS, type FunctionDefinition } from '../functions/manifest';
import { parseIdentityProviderRules } from '../lib/config/identity-provider';
import { DEFAULT_TOKEN_MAX_AGE_SECONDS, ENV } from '../lib/config/env';
import { STREAM_FILTERS } from '../lib/repositories/table-design';
import { ApiFunction } from './constructs/api-function';
import type { LayerGroups } from './layer-bundle';
import { AstralApi } from './constructs/astral-api';
import { LibLayer } from './constructs/lib-layer';
import { FairUse, LIMIT_DEFAULTS, type LimitSettings } from './constructs/fair-use';
import { type AlarmSettings, type MonitoredConsumer, type MonitoredFunction, Operations } from './constructs/operations';
import { PageTokenSecret, type PageTokenSecretProps } from './constructs/page-token-secret';
import { SingleTable } from './constructs/single-table';
import { StreamConsumer } from './constructs/stream-consumer';

/** Who issues user tokens; handed to the authorizer as environment (lib/config/env.ts). */
export interface TokenSettings {
  readonly issuer: string;
  /** Accepted `aud` values, comma-separated (ADR 0021). At least one of audience and clientIds is required. */
  readonly audience?: string | undefined;
  /** Accepted `client_id` values of Cognito access tokens (`token_use: "access"`), comma-separated. */
  readonly clientIds?: string | undefined;
  readonly jwksUrl: string;
  /** The claim that marks platform admins: `true`, or an array containing adminGroup when that is set. */
  readonly adminClaim: string;
  readonly adminGroup?: string | undefined;
  /** The oldest a token may be by its `iat`, in seconds (default DEFAULT_TOKEN_MAX_AGE_SECONDS, 24 h). */
  readonly maxAgeSeconds?: number;
  /** The `typ` header the issuer sets on its access tokens (e.g. `at+jwt`); unset, `typ` is not checked. */
  readonly type?: string;
}

export interface AstralStackProps extends StackProps {
  readonly tokens: TokenSettings;
  /** Which versions of the page-token secret the list functions seal and open with (ADR 0010). */
  readonly pageTokens?: PageTokenSecretProps;
  /** Repository root (entries, lib/, package-lock.json). Defaults to the working directory. */
  readonly projectRoot?: string;
  /** Alarm thresholds and the optional email subscription (infra/constructs/operations.ts defaults). */
  readonly alarms?: AlarmSettings;
  /** Per-caller rate limits (WAF) and the authorizer's reserved concurrency (ADR 0023 defaults). */
  readonly limits?: LimitSettings;
}

/** What kind of function a manifest entry is deployed as. */
export type FunctionKind = 'route' | 'authorizer' | 'stream';

/**
 * A function's group in the lib layer: the function itself. Its core exports only the lib names it
 * imports, so esbuild leaves the rest of lib (and what only other functions use) out of what it loads
 * at init (docs/adr/0026-a-tree-per-function.md; ADR 0015 grouped by kind, and a route compiled the
 * union of every route's lib).
 */
export function layerGroupOf(definition: FunctionDefinition): string {
  return definition.name;
}

/**
 * The stack's functions by layer group, from the manifest: a new function gets its own tree.
 */
export function layerGroups(): LayerGroups {
  const groups: Record<string, string[]> = {};
  for (const definition of [...ROUTES, AUTHORIZER, ...STREAM_CONSUMERS]) (groups[layerGroupOf(definition)] ??= []).push(definition.entry);
  return groups;
}

/** 'organizations-create' → 'OrganizationsCreate': a construct id that changes only if the route is renamed. */
export function constructIdFor(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Everything Astral runs on: the single table, the lib layer, one function per manifest route behind
 * the REST API, the authorizer, and the audit stream consumer. The manifest is the only list of
 * routes; nothing here names an endpoint.
 */
export class AstralStack extends Stack {
  readonly table: SingleTable;
  readonly api: AstralApi;
  readonly layer: LibLayer;
  readonly pageTokenSecret: PageTokenSecret;
  readonly operations: Operations;
  /** The stage's rate-limiting web ACL; absent when context turned it off (astral:waf=false). */
  readonly fairUse: FairUse | undefined;

  constructor(scope: Construct, id: string, props: AstralStackProps) {
    super(scope, id, props);
    // Refuses, at synth and before any bundling, a configuration that would accept every token of the issuer (ADR 0021).
    const { audience, clientIds, adminClaim, adminGroup } = props.tokens;
    const identity = parseIdentityProviderRules(
      { audiences: audience, clientIds, adminClaim, adminGroup },
      {
        audiences: 'context astral:tokenAudience',
        clientIds: 'context astral:tokenClientIds',
        adminClaim: 'context astral:adminClaim',
        adminGroup: 'context astral:adminGroup',
      },
    );
    const projectRoot = props.projectRoot ?? process.cwd();

    this.table = new SingleTable(this, 'Table');
    this.layer = new LibLayer(this, 'LibLayer', { projectRoot, groups: layerGroups() });
    this.pageTokenSecret = new PageTokenSecret(this, 'PageTokenKey', props.pageTokens);
    // Only the functions that hand out next_token hold the key.
    const pageTokenEnvironment = {
      [ENV.pageTokenSecret]: this.pageTokenSecret.current,
      ...(this.pageTokenSecret.previous ? { [ENV.pageTokenPreviousSecret]: this.pageTokenSecret.previous } : {}),
    };
    const functionProps = (definition: FunctionDefinition) => ({
      entry: definition.entry,
      layer: this.layer,
      layerGroup: layerGroupOf(definition),
      projectRoot,
      description: `astral ${definition.name}`,
    });

    const limits = { ...LIMIT_DEFAULTS, ...props.limits };
    const authorizer = new ApiFunction(this, constructIdFor(AUTHORIZER.name), {
      ...functionProps(AUTHORIZER),
      // Every uncached request waits on it: a hot route or another workload of the account must not
      // take its last instance (ADR 0023). 0 leaves it in the account's unreserved pool.
      ...(limits.authorizerReservedConcurrency > 0 ? { reservedConcurrency: limits.authorizerReservedConcurrency } : {}),
      environment: {
        [ENV.tokenIssuer]: props.tokens.issuer,
        ...(identity.audiences.length > 0 ? { [ENV.tokenAudience]: identity.audiences.join(',') } : {}),
        ...(identity.clientIds.length > 0 ? { [ENV.tokenClientIds]: identity.clientIds.join(',') } : {}),
        [ENV.jwksUrl]: props.tokens.jwksUrl,
        [ENV.adminClaim]: identity.admin.claim,
        ...(identity.admin.kind === 'group' ? { [ENV.adminGroup]: identity.admin.group } : {}),
        [ENV.tokenMaxAgeSeconds]: String(props.tokens.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS),
        ...(props.tokens.type !== undefined ? { [ENV.tokenType]: props.tokens.type } : {}),
      },
    });
    if (AUTHORIZER.tableAccess !== 'none') authorizer.bind(this.table, AUTHORIZER.tableAccess);
    const monitored: MonitoredFunction[] = [{ name: AUTHORIZER.name, kind: 'authorizer', function: authorizer.function }];
    const consumers: MonitoredConsumer[] = [];

    this.api = new AstralApi(this, 'Api', { authorizerFunction: authorizer.function });
    authorizer.function.addEnvironment(ENV.userUsageKey, this.api.userTrafficKeyValue);

    // One scope for the route functions, so a route name can never collide with another construct.
    const routes = new Construct(this, 'Routes');
    for (const route of ROUTES) {
      const handler = new ApiFunction(routes, constructIdFor(route.name), {
        ...functionProps(route),
        // API Gateway gives up at 29 s; a function that runs longer only burns money.
        timeout: Duration.seconds(25),
        ...(route.pageTokens ? { environment: pageTokenEnvironment } : {}),
      });
      if (route.tableAccess !== 'none') handler.bind(this.table, route.tableAccess);
      this.api.addRoute(route, handler.function);
      monitored.push({ name: route.name, kind: 'route', function: handler.function });
    }
    // After the last route: each 405's Allow lists its resource's methods.
    this.api.addMethodNotAllowed();
    this.fairUse = limits.waf
      ? new FairUse(this, 'FairUse', {
          stage: this.api.restApi.deploymentStage,
          tokenLimit: limits.wafTokenLimit,
          addressLimit: limits.wafAddressLimit,
        })
      : undefined;
    if (!this.fairUse) {
      Validations.of(this.api.restApi).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'The operator turned the rate-limiting web ACL off (context astral:waf=false, ADR 0023): app keys stay metered by their usage plan, user tokens together by theirs, and every caller by the stage throttle.',
      });
    }

    for (const consumer of STREAM_CONSUMERS) {
      if (consumer.tableAccess === 'none') throw new Error(`stream consumer ${consumer.name} must declare table access`);
      const deployed = new StreamConsumer(this, constructIdFor(consumer.name), {
        ...functionProps(consumer),
        table: this.table,
        tableAccess: consumer.tableAccess,
        filters: STREAM_FILTERS[consumer.name] ?? [],
      });
      monitored.push({ name: consumer.name, kind: 'stream', function: deployed.handler.function });
      consumers.push({ name: consumer.name, function: deployed.handler.function, failureQueue: deployed.failureQueue });
    }

    this.operations = new Operations(this, 'Operations', {
      functions: monitored,
      consumers,
      api: this.api.restApi,
      stageName: this.api.restApi.deploymentStage.stageName,
      table: this.table,
      ...(props.alarms ? { settings: props.alarms } : {}),
    });

    new CfnOutput(this, 'ApiUrl', {
      value: `${this.api.url}${API_PREFIX.replace(/^\//, '')}`,
      description: 'Base URL of the API (…/api/v1)',
    });
    if (this.fairUse)
      new CfnOutput(this, 'WebAclArn', {
        value: this.fairUse.webAcl.attrArn,
        description: 'Rate-limiting web ACL on the stage (ADR 0023)',
      });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single table (issue-app-key --table)' });
    new CfnOutput(this, 'UsagePlanId', {
      value: this.api.usagePlan.usagePlanId,
      description: 'App-key usage plan (issue-app-key --usage-plan-id)',
    });
  }
}
