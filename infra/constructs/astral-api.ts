import { createHash } from 'node:crypto';
import { Duration, Names, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  type CfnAuthorizer,
  EndpointType,
  type IAuthorizer,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  MockIntegration,
  Period,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  TokenAuthorizer,
  type IResource,
  type Method,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/manifest';
import { AUTHORIZERS, authorizerFor, type AuthorizerBinding } from '../../lib/config/authorizers';
import { ACCESS_DENIED_TEMPLATE, UNAUTHORIZED_STATUS, UNAUTHORIZED_TEMPLATE } from '../../lib/config/credential-rejections';
import { allowHeader, METHOD_NOT_ALLOWED_ERROR, METHOD_NOT_ALLOWED_STATUS } from '../../lib/config/method-not-allowed';
import { restApiInterface } from './cdk-interfaces';

/** The JSON error body API Gateway answers with when no function does (api.md "Errors"). */
export interface GatewayError {
  readonly type: ResponseType;
  /** Omitted: keep the status API Gateway chose (the DEFAULT_* families span several statuses). */
  readonly status?: number;
  /** The application/json template: JSON once API Gateway has substituted its `$context` variables. */
  readonly template: string;
  /** Headers beside Content-Type, as API Gateway literals (quoted). */
  readonly headers?: Readonly<Record<string, string>>;
}

const quoted = (text: string): string => JSON.stringify(text);
/** `message` is a JSON string literal, or a `$context` expression that renders as one. */
const errorTemplate = (message: string, code: string): string => `{"message":${message},"code":${quoted(code)}}`;

/**
 * Messages and codes match local/gateway-responses.ts, so the local stack and the deployed one
 * fail the same way. MISSING_AUTHENTICATION_TOKEN is what API Gateway answers for a path it does not
 * know (it assumes an IAM-signed call went astray): to a client that is a 404. A known path with
 * another method never gets here: its MOCK `ANY` method answers 405 (AstralApi.addMethodNotAllowed).
 */
export const GATEWAY_ERRORS: readonly GatewayError[] = [
  // The cached authorizers' identity source (Authorization, or X-API-Key) is missing or empty: API
  // Gateway answers this without calling the authorizer (ADR 0014), so it can only say that the
  // credential the route takes did not come.
  { type: ResponseType.UNAUTHORIZED, status: UNAUTHORIZED_STATUS, template: UNAUTHORIZED_TEMPLATE },
  // Our authorizer refuses a credential with a Deny whose context names the reason (lib/auth/authorizer.ts),
  // and denies for nothing else (per-object checks are the functions' 403s), so ACCESS_DENIED is a 401.
  // The authorizer's context is available to this template as $context.authorizer.<key>: AWS's
  // "Variables for data transformations" ($context.authorizer.property, "the stringified value of the
  // specified key-value pair of the context map returned from an API Gateway Lambda authorizer") and
  // "Output from an API Gateway Lambda authorizer"; gateway-response templates substitute such
  // variables without VTL ("x-amazon-apigateway-gateway-responses.responseTemplates").
  { type: ResponseType.ACCESS_DENIED, status: UNAUTHORIZED_STATUS, template: ACCESS_DENIED_TEMPLATE },
  // An app method whose authorizer result carried no usable usage identifier (e.g. a key removed from the plan).
  { type: ResponseType.INVALID_API_KEY, status: 403, template: errorTemplate(quoted('access denied'), 'forbidden') },
  { type: ResponseType.THROTTLED, status: 429, template: errorTemplate(quoted('too many requests'), 'throttled') },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, template: errorTemplate(quoted('request quota exceeded'), 'throttled') },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, template: errorTemplate(quoted('not found'), 'not_found') },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, template: errorTemplate(quoted('request body too large'), 'payload_too_large') },
  // The authorizer threw (in practice its app-key lookup found the table throttling or out of reach,
  // lib/db/client.ts), or could not be invoked at all (throttled at its reserved concurrency, ADR 0023):
  // either way the client is told to retry, as a function's own 503 does.
  ...([ResponseType.AUTHORIZER_FAILURE, ResponseType.AUTHORIZER_CONFIGURATION_ERROR] as const).map((type) => ({
    type,
    status: 503,
    template: errorTemplate(quoted('the service is briefly unavailable; retry later'), 'unavailable'),
    headers: { 'Retry-After': "'1'" },
  })),
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, template: errorTemplate(quoted('endpoint request timed out'), 'timeout') },
  // API Gateway's own message for the rest of the 4XX family (unsupported media type, WAF, ...), already JSON-quoted.
  { type: ResponseType.DEFAULT_4XX, template: errorTemplate('$context.error.messageString', 'bad_request') },
  // Function or authorizer crashed: say nothing about why.
  { type: ResponseType.DEFAULT_5XX, template: errorTemplate(quoted('internal server error'), 'internal_error') },
];

export interface UsagePlanLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly monthlyQuota: number;
}

export interface AstralApiProps {
  /** The one authorizer function, behind each of the three authorizers (lib/config/authorizers.ts). */
  readonly authorizerFunction: IFunction;
  readonly stageName?: string;
  /** Per app key (usage plan). */
  readonly appKeyLimits?: UsagePlanLimits;
  /** All user-token traffic together (its own usage plan, one key). */
  readonly userTrafficLimits?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Whole stage, every caller: the ceiling for user-token and public traffic, which no plan meters. */
  readonly stageThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The REST API: one method per manifest route, three authorizers on the one authorizer function (user
 * tokens cached on Authorization, app keys cached on X-API-Key, the routes taking either uncached:
 * docs/adr/0014-cached-authorizers.md), app keys metered by a usage plan through the authorizer's usage
 * identifier (docs/adr/0002-one-authorizer-no-cache.md), and gateway responses in our error shape.
 */
export class AstralApi extends Construct {
  readonly restApi: RestApi;
  /** The routes taking either credential: no identity source, no cache. */
  readonly authorizer: RequestAuthorizer;
  /** The user-only routes: TOKEN on Authorization, cached. */
  readonly userTokenAuthorizer: TokenAuthorizer;
  /** The app-only routes: REQUEST on X-API-Key, cached. */
  readonly appKeyAuthorizer: RequestAuthorizer;
  readonly usagePlan: UsagePlan;
  readonly userTrafficPlan: UsagePlan;
  /** The usage identifier the authorizer returns for user tokens (ENV.userUsageKey). */
  readonly userTrafficKeyValue: string;
  readonly accessLogs: LogGroup;
  /** Each routed resource's methods, for the `Allow` of its 405 (addMethodNotAllowed). */
  private readonly routedMethods = new Map<IResource, string[]>();
  private methodNotAllowedAdded = false;

  constructor(scope: Construct, id: string, props: AstralApiProps) {
    super(scope, id);
    const limits = props.appKeyLimits ?? { rateLimit: 50, burstLimit: 100, monthlyQuota: 1_000_000 };
    const stageThrottle = props.stageThrottle ?? { rateLimit: 500, burstLimit: 1000 };

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: 'astral-api',
      description: 'Astral API (one Lambda per route, see functions/manifest.ts)',
      endpointTypes: [EndpointType.REGIONAL],
      // App keys arrive as X-API-Key and are resolved by our authorizer, which returns the key as the
      // usage identifier; API Gateway never reads the header itself.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      // Execution logging (below) needs the account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        // ERROR only and never data traces: a data trace would log bodies, tokens and keys.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: stageThrottle.rateLimit,
        throttlingBurstLimit: stageThrottle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            request_id: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            method: AccessLogField.contextHttpMethod(),
            resource: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            length: AccessLogField.contextResponseLength(),
            latency_ms: AccessLogField.contextResponseLatency(),
            integration_latency_ms: AccessLogField.contextIntegrationLatency(),
            principal_kind: AccessLogField.contextAuthorizer('kind'),
            api_key_id: AccessLogField.contextIdentityApiKeyId(),
            error_type: AccessLogField.contextErrorResponseType(),
            authorizer_error: AccessLogField.contextAuthorizerError(),
          }),
        ),
      },
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated in each function by the zod schemas (.strict()) that also generate /openapi.json; an API Gateway model would duplicate them and answer with a different error body than the documented {message, code, details}.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Users sign in with an external OIDC issuer whose JWTs the REQUEST authorizer verifies with jose (issuer, audience, expiry, algorithm allow-list), and integrations use app keys; there is no Cognito user pool to attach.',
    });
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "This is API Gateway's account-level logging role (AWS::ApiGateway::Account), assumable only by apigateway.amazonaws.com; AWS maintains this managed policy for exactly this purpose and API Gateway creates log groups named after the API at run time, so no narrower resource list exists.",
      });
    }

    // The routes taking either credential: a request may carry X-API-Key OR Authorization, and API
    // Gateway answers 401 without calling the authorizer when a declared identity source is missing, so
    // none is declared, which API Gateway allows only with caching off (ADR 0002, still so for these).
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: 'astral-authorizer',
      handler: props.authorizerFunction,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(AUTHORIZERS.either.ttlSeconds),
    });
    // CDK renders the empty list as IdentitySource: ""; leave the property out, as the API documents.
    (this.authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
    // Single-kind routes: cached on their one header (ADR 0014). TOKEN for the user tokens: the function
    // is then given that header's value and nothing else, so its answer depends on the cache key alone.
    this.userTokenAuthorizer = new TokenAuthorizer(this, 'UserTokenAuthorizer', {
      authorizerName: 'astral-user-token-authorizer',
      handler: props.authorizerFunction,
      identitySource: IdentitySource.header(AUTHORIZERS['user-token'].identityHeader),
      resultsCacheTtl: Duration.seconds(AUTHORIZERS['user-token'].ttlSeconds),
    });
    // REQUEST for app keys: the function reads X-API-Key alone whenever it is present (lib/auth/authorizer.ts).
    this.appKeyAuthorizer = new RequestAuthorizer(this, 'AppKeyAuthorizer', {
      authorizerName: 'astral-app-key-authorizer',
      handler: props.authorizerFunction,
      identitySources: [IdentitySource.header(AUTHORIZERS['app-key'].identityHeader)],
      resultsCacheTtl: Duration.seconds(AUTHORIZERS['app-key'].ttlSeconds),
    });

    for (const gatewayError of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(`Gateway${gatewayError.type.responseType}`, {
        type: gatewayError.type,
        ...(gatewayError.status !== undefined ? { statusCode: String(gatewayError.status) } : {}),
        responseHeaders: { 'Content-Type': "'application/json'", ...gatewayError.headers },
        templates: { 'application/json': gatewayError.template },
      });
    }

    this.usagePlan = this.restApi.addUsagePlan('AppKeyPlan', {
      name: 'astral-app-keys',
      description: 'App keys (X-API-Key), issued by ops/issue-app-key.ts; the authorizer returns the key as the usage identifier',
      throttle: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit },
      quota: { limit: limits.monthlyQuota, period: Period.MONTH },
      apiStages: [{ api: restApiInterface(this.restApi), stage: this.restApi.deploymentStage }],
    });

    // Every authorized method requires a key, so every caller is metered: app keys each under their
    // own key, user tokens together under this one. With the key source AUTHORIZER, API Gateway never
    // reads a key from the request, so the value (derived from this construct's path, stable across
    // deployments) is a plan name, not a credential.
    const userTraffic = props.userTrafficLimits ?? { rateLimit: 400, burstLimit: 800 };
    this.userTrafficKeyValue = `astral-users-${createHash('sha256')
      .update(`${Names.uniqueId(this)}:user-traffic`)
      .digest('hex')
      .slice(0, 32)}`;
    const userTrafficKey = new ApiKey(this, 'UserTrafficKey', {
      apiKeyName: 'astral-user-traffic',
      value: this.userTrafficKeyValue,
      description: 'Usage identifier for user-token traffic, returned by the authorizer',
    });
    this.userTrafficPlan = this.restApi.addUsagePlan('UserTrafficPlan', {
      name: 'astral-user-traffic',
      description: 'Every user-token request, metered under one key the authorizer returns',
      throttle: { rateLimit: userTraffic.rateLimit, burstLimit: userTraffic.burstLimit },
      apiStages: [{ api: restApiInterface(this.restApi), stage: this.restApi.deploymentStage }],
    });
    this.userTrafficPlan.addApiKey(userTrafficKey);
  }

  /** Adds the route's method; its resource path is created segment by segment. */
  addRoute(route: RouteDefinition, handler: IFunction): Method {
    // The 405s name each resource's methods at synth time: a later route would be missing from them.
    if (this.methodNotAllowedAdded) throw new Error(`route ${route.name} added after addMethodNotAllowed()`);
    const resource = this.restApi.root.resourceForPath(route.path);
    this.routedMethods.set(resource, [...(this.routedMethods.get(resource) ?? []), route.method]);
    const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
    const binding = authorizerFor(route.credentials);
    const isPublic = binding === undefined;
    const method = isPublic
      ? resource.addMethod(route.method, integration, { authorizationType: AuthorizationType.NONE })
      : resource.addMethod(route.method, integration, {
          authorizationType: AuthorizationType.CUSTOM,
          authorizer: this.authorizerBoundTo(binding),
          // The authorizer returns a usage identifier for every principal (its app key, or the user-traffic
          // key), so every authorized method is metered by a usage plan.
          apiKeyRequired: true,
        });
    if (isPublic) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by the API contract (docs: spec api.md, auth "none"); the function serves only data meant for anyone.`,
      });
    }
    return method;
  }

  /** The authorizer resource lib/config/authorizers.ts picks for a route's credentials. */
  authorizerBoundTo(binding: AuthorizerBinding): IAuthorizer {
    if (binding === 'user-token') return this.userTokenAuthorizer;
    if (binding === 'app-key') return this.appKeyAuthorizer;
    return this.authorizer;
  }

  /**
   * A known path called with a method it does not have is a 405 naming the methods it has (api.md
   * "Conventions"). API Gateway itself would answer MISSING_AUTHENTICATION_TOKEN (our 404), so every
   * routed resource gets an `ANY` method, which API Gateway uses only for methods the resource does not
   * define: a MOCK integration answering 405 with a static `Allow`. It has no authorizer, as
   * nothing runs behind it and the answer is the same for everyone. Call once, after the last route.
   */
  addMethodNotAllowed(): Method[] {
    this.methodNotAllowedAdded = true;
    return [...this.routedMethods].map(([resource, methods]) => {
      const allow = allowHeader(methods);
      const integration = new MockIntegration({
        requestTemplates: { 'application/json': JSON.stringify({ statusCode: METHOD_NOT_ALLOWED_STATUS }) },
        // No selection pattern: the default response, whatever the mock answered.
        integrationResponses: [
          {
            statusCode: String(METHOD_NOT_ALLOWED_STATUS),
            responseParameters: { 'method.response.header.Allow': `'${allow}'` },
            responseTemplates: { 'application/json': JSON.stringify(METHOD_NOT_ALLOWED_ERROR) },
          },
        ],
      });
      const method = resource.addMethod('ANY', integration, {
        authorizationType: AuthorizationType.NONE,
        methodResponses: [{ statusCode: String(METHOD_NOT_ALLOWED_STATUS), responseParameters: { 'method.response.header.Allow': true } }],
      });
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `ANY ${resource.path} is a MOCK integration answering 405 method not allowed with Allow: ${allow}; it runs no code and reads no data, and API Gateway sends it only methods the resource lacks, so there is nothing to authorize.`,
      });
      return method;
    });
  }

  get url(): string {
    return this.restApi.url;
  }
}
