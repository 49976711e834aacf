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
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type Method,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/manifest';
import { restApiInterface } from './cdk-interfaces';

/** The JSON error body API Gateway answers with when no function does (api.md "Errors"). */
export interface GatewayError {
  readonly type: ResponseType;
  /** Omitted: keep the status API Gateway chose (the DEFAULT_* families span several statuses). */
  readonly status?: number;
  /** A JSON string literal, or a `$context` expression that renders as one. */
  readonly message: string;
  readonly code: string;
}

const quoted = (text: string): string => JSON.stringify(text);

/**
 * Messages and codes match local/gateway-responses.ts, so the local stack and the deployed one
 * fail the same way. MISSING_AUTHENTICATION_TOKEN is what API Gateway answers for a path or method
 * it does not know (it assumes an IAM-signed call went astray): to a client that is a 404.
 */
export const GATEWAY_ERRORS: readonly GatewayError[] = [
  { type: ResponseType.UNAUTHORIZED, status: 401, message: quoted('invalid or missing credentials'), code: 'unauthorized' },
  { type: ResponseType.ACCESS_DENIED, status: 403, message: quoted('access denied'), code: 'forbidden' },
  // An app method whose authorizer result carried no usable usage identifier (e.g. a key removed from the plan).
  { type: ResponseType.INVALID_API_KEY, status: 403, message: quoted('access denied'), code: 'forbidden' },
  { type: ResponseType.THROTTLED, status: 429, message: quoted('too many requests'), code: 'throttled' },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, message: quoted('request quota exceeded'), code: 'throttled' },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, message: quoted('not found'), code: 'not_found' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, message: quoted('request body too large'), code: 'payload_too_large' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, message: quoted('endpoint request timed out'), code: 'timeout' },
  // API Gateway's own message for the rest of the 4XX family (unsupported media type, WAF, ...), already JSON-quoted.
  { type: ResponseType.DEFAULT_4XX, message: '$context.error.messageString', code: 'bad_request' },
  // Function or authorizer crashed: say nothing about why.
  { type: ResponseType.DEFAULT_5XX, message: quoted('internal server error'), code: 'internal_error' },
];

export interface UsagePlanLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly monthlyQuota: number;
}

export interface AstralApiProps {
  /** The one REQUEST authorizer function in front of every non-public method. */
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
 * The REST API: one method per manifest route, one REQUEST authorizer, app keys metered by a usage
 * plan through the authorizer's usage identifier (docs/adr/0002-one-authorizer-no-cache.md), and
 * gateway responses in our error shape.
 */
export class AstralApi extends Construct {
  readonly restApi: RestApi;
  readonly authorizer: RequestAuthorizer;
  readonly usagePlan: UsagePlan;
  readonly userTrafficPlan: UsagePlan;
  /** The usage identifier the authorizer returns for user tokens (ENV.userUsageKey). */
  readonly userTrafficKeyValue: string;
  readonly accessLogs: LogGroup;

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
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL in this stack: app keys are throttled and metered by the usage plan and every caller by the stage throttle; a WAF ACL is an account-level choice attached per environment, not per service.',
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

    // Cache TTL 0 and no identity sources: a request may carry X-API-Key OR Authorization (either
    // is optional), and API Gateway answers 401 without calling the authorizer when any declared
    // identity source is missing. With caching off, identity sources are optional, so none are
    // declared and the authorizer sees every request. See docs/adr/0002-one-authorizer-no-cache.md.
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: 'astral-authorizer',
      handler: props.authorizerFunction,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    // CDK renders the empty list as IdentitySource: ""; leave the property out, as the API documents.
    (this.authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');

    for (const gatewayError of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(`Gateway${gatewayError.type.responseType}`, {
        type: gatewayError.type,
        ...(gatewayError.status !== undefined ? { statusCode: String(gatewayError.status) } : {}),
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': `{"message":${gatewayError.message},"code":${quoted(gatewayError.code)}}` },
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
    const resource = this.restApi.root.resourceForPath(route.path);
    const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
    const isPublic = route.credentials.length === 0;
    const method = isPublic
      ? resource.addMethod(route.method, integration, { authorizationType: AuthorizationType.NONE })
      : resource.addMethod(route.method, integration, {
          authorizationType: AuthorizationType.CUSTOM,
          authorizer: this.authorizer,
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

  get url(): string {
    return this.restApi.url;
  }
}
