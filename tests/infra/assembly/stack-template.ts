import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { AUTHORIZER, ROUTES, STREAM_CONSUMERS, type RouteDefinition } from '../../../functions/manifest';
import { constructIdFor } from '../../../infra/astral-stack';
import type { ApiFunction } from '../../../infra/constructs/api-function';
import type { StreamConsumer } from '../../../infra/constructs/stream-consumer';
import { ACCESS_DENIED_TEMPLATE, CREDENTIAL_REJECTION_REASONS, rejectionContext } from '../../../lib/config/credential-rejections';
import { AUTHORIZER_CACHE_TTL_SECONDS, authorizerFor, type AuthorizerBinding } from '../../../lib/config/authorizers';
import { apiWidePolicy } from '../../../lib/auth/policy';
import { ENV } from '../../../lib/config/env';
import { allowHeader, METHOD_NOT_ALLOWED_ERROR } from '../../../lib/config/method-not-allowed';
import { STREAM_FILTERS, TABLE_DESIGN } from '../../../lib/repositories/table-design';
import { GATEWAY_RETRY_AFTER_SECONDS, GATEWAY_ERRORS as LOCAL_GATEWAY_ERRORS } from '../../../local/gateway-responses';
import { evaluateAuthorizerResult } from '../../../local/authorizer-result';
import { renderGatewayTemplate } from '../../../local/gateway-template';
import { TEST_TOKENS, type SynthesizedApp } from '../synth-app';
import { sharedAssembly } from './shared';

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

let synth: SynthesizedApp;
let template: SynthesizedApp['template'];

const resourcesOf = (type: string): Record<string, CfnResource> => template.findResources(type) as Record<string, CfnResource>;
const onlyLogicalId = (type: string): string => {
  const ids = Object.keys(resourcesOf(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
const logicalIdOf = (construct: Construct): string =>
  Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const references = (value: unknown, logicalId: string): boolean => JSON.stringify(value).includes(`"${logicalId}"`);

const routeFunction = (route: RouteDefinition): ApiFunction =>
  synth.stack.node.findChild('Routes').node.findChild(constructIdFor(route.name)) as ApiFunction;
const authorizerFunction = (): ApiFunction => synth.stack.node.findChild(constructIdFor(AUTHORIZER.name)) as ApiFunction;
const streamConsumer = (name: string): StreamConsumer => synth.stack.node.findChild(constructIdFor(name)) as StreamConsumer;

/** Every statement any policy attached to the role grants: its inline policies and AWS::IAM::Policy resources. */
function statementsOf(roleLogicalId: string): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const role = resourcesOf('AWS::IAM::Role')[roleLogicalId];
  if (!role) throw new Error(`no role ${roleLogicalId}`);
  const inline = ((role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[] | undefined) ?? []).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
  const attached = Object.values(resourcesOf('AWS::IAM::Policy'))
    .filter((policy) => references(policy.Properties.Roles, roleLogicalId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
  return [...inline, ...attached] as { Action: string | string[]; Resource: unknown; Effect: string }[];
}
const actionsOf = (roleLogicalId: string): string[] =>
  statementsOf(roleLogicalId).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

const WRITE_ACTION =
  /^dynamodb:(\*|Put|Update|Delete|BatchWrite|TransactWrite|PartiQL(Insert|Update|Delete)|Restore|Import|CreateTable|DeleteTable)/;

/** The synthesized template (tests/infra/assembly.test.ts's shared synth): functions, IAM, API, table, streams, outputs. */
export function stackTemplateSuite(): void {
  beforeAll(() => {
    synth = sharedAssembly();
    template = synth.template;
  });

  describe('functions', () => {
    it('has one function per manifest route, plus the authorizer and the stream consumers, and no other Lambda function', () => {
      const functions = resourcesOf('AWS::Lambda::Function');
      const expected = [
        ...ROUTES.map((route) => logicalIdOf(routeFunction(route).function)),
        logicalIdOf(authorizerFunction().function),
        ...STREAM_CONSUMERS.map((consumer) => logicalIdOf(streamConsumer(consumer.name).handler.function)),
      ];
      expect(new Set(expected).size).toBe(ROUTES.length + 1 + STREAM_CONSUMERS.length);
      expect(Object.keys(functions).sort()).toEqual([...expected].sort());
      // No custom resources either: they would each bring a provider function.
      expect(
        Object.values(template.toJSON().Resources as Record<string, CfnResource>).filter((r) => r.Type.startsWith('Custom::')),
      ).toEqual([]);
    });

    it('runs every function on nodejs24.x, arm64, as the ESM handler index.handler', () => {
      for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      }
    });

    it('gives every function the one shared lib layer (nodejs24.x, arm64)', () => {
      const layerId = onlyLogicalId('AWS::Lambda::LayerVersion');
      template.hasResourceProperties('AWS::Lambda::LayerVersion', {
        CompatibleRuntimes: ['nodejs24.x'],
        CompatibleArchitectures: ['arm64'],
      });
      for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) {
        expect(fn.Properties.Layers).toEqual([{ Ref: layerId }]);
      }
    });

    it('logs every function to its own log group with a retention, without the LogRetention custom resource', () => {
      const logGroups = resourcesOf('AWS::Logs::LogGroup');
      for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) {
        const ref = (fn.Properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
        const logGroupId = Object.keys(logGroups).find((id) => references(ref, id));
        expect(logGroupId).toBeDefined();
        expect(logGroups[logGroupId!]!.Properties.RetentionInDays).toEqual(expect.any(Number));
      }
    });

    it('sets TABLE_NAME on every table-backed function, and not on the others', () => {
      const tableId = onlyLogicalId('AWS::DynamoDB::Table');
      const check = (fn: ApiFunction, tableAccess: string) => {
        const variables =
          (
            resourcesOf('AWS::Lambda::Function')[logicalIdOf(fn.function)]!.Properties.Environment as
              | { Variables?: Record<string, unknown> }
              | undefined
          )?.Variables ?? {};
        if (tableAccess === 'none') expect(variables[ENV.tableName]).toBeUndefined();
        else expect(variables[ENV.tableName]).toEqual({ Ref: tableId });
      };
      for (const route of ROUTES) check(routeFunction(route), route.tableAccess);
      check(authorizerFunction(), AUTHORIZER.tableAccess);
      for (const consumer of STREAM_CONSUMERS) check(streamConsumer(consumer.name).handler, consumer.tableAccess);
    });

    it('hands the page-token key (ADR 0010) to exactly the functions that take next_token, as a deploy-time secret reference', () => {
      const secretId = onlyLogicalId('AWS::SecretsManager::Secret');
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
      });
      expect(
        ROUTES.filter((route) => route.pageTokens)
          .map((route) => route.name)
          .sort(),
      ).toEqual(
        [
          'access-log-list',
          'activities-list',
          'audit-logs-list',
          'feed-list',
          'groups-list',
          'leaderboard-get',
          'members-list',
          'users-export',
        ].sort(),
      );
      const variablesOf = (fn: ApiFunction): Record<string, unknown> =>
        (
          resourcesOf('AWS::Lambda::Function')[logicalIdOf(fn.function)]!.Properties.Environment as
            | { Variables?: Record<string, unknown> }
            | undefined
        )?.Variables ?? {};
      for (const route of ROUTES) {
        const value = variablesOf(routeFunction(route))[ENV.pageTokenSecret];
        if (!route.pageTokens) {
          expect({ route: route.name, value }).toEqual({ route: route.name, value: undefined });
          continue;
        }
        // {{resolve:secretsmanager:<the stack's secret>:SecretString:::}}: resolved by CloudFormation, never fetched at run time.
        const rendered = JSON.stringify(value);
        expect(rendered).toContain('{{resolve:secretsmanager:');
        expect(rendered).toContain(`"Ref":"${secretId}"`);
        expect(variablesOf(routeFunction(route))[ENV.pageTokenPreviousSecret]).toBeUndefined();
      }
      expect(variablesOf(authorizerFunction())[ENV.pageTokenSecret]).toBeUndefined();
      // No role reads the secret: the value reaches the functions' configuration only.
      for (const role of Object.keys(resourcesOf('AWS::IAM::Role'))) {
        expect(actionsOf(role).filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
      }
    });

    it('hands the authorizer the token settings from the stack props', () => {
      const variables = (
        resourcesOf('AWS::Lambda::Function')[logicalIdOf(authorizerFunction().function)]!.Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables).toMatchObject({
        [ENV.tokenIssuer]: TEST_TOKENS.issuer,
        // Lists as the authorizer splits them (ADR 0021).
        [ENV.tokenAudience]: 'astral-api-test,astral-mobile-test',
        [ENV.tokenClientIds]: 'cognito-client-test',
        [ENV.jwksUrl]: TEST_TOKENS.jwksUrl,
        [ENV.adminClaim]: 'cognito:groups',
        [ENV.adminGroup]: 'admin',
        [ENV.tokenMaxAgeSeconds]: String(TEST_TOKENS.maxAgeSeconds),
        [ENV.tokenType]: TEST_TOKENS.type,
      });
    });
  });

  describe('IAM least privilege', () => {
    const roleOf = (fn: ApiFunction) => logicalIdOf(fn.role);

    it('grants no table write action to the roles of read-only functions (routes and the authorizer)', () => {
      const readOnly = [
        ...ROUTES.filter((r) => r.tableAccess === 'read').map(routeFunction),
        ...(AUTHORIZER.tableAccess === 'read' ? [authorizerFunction()] : []),
      ];
      expect(readOnly.length).toBeGreaterThan(0);
      for (const fn of readOnly) {
        const actions = actionsOf(roleOf(fn));
        expect(actions).toContain('dynamodb:GetItem');
        expect(actions.filter((action) => WRITE_ACTION.test(action))).toEqual([]);
      }
    });

    it('grants write actions only where the manifest declares readwrite (the check above would see them)', () => {
      for (const route of ROUTES.filter((r) => r.tableAccess === 'readwrite')) {
        expect(actionsOf(roleOf(routeFunction(route)))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      }
    });

    it('grants no table access at all to functions that declare none', () => {
      for (const route of ROUTES.filter((r) => r.tableAccess === 'none')) {
        expect(actionsOf(roleOf(routeFunction(route))).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
      }
    });

    it('attaches no AWS managed policy to function roles, and lets each write only to its own log group', () => {
      const functions = [
        ...ROUTES.map(routeFunction),
        authorizerFunction(),
        ...STREAM_CONSUMERS.map((c) => streamConsumer(c.name).handler),
      ];
      for (const fn of functions) {
        const role = resourcesOf('AWS::IAM::Role')[roleOf(fn)]!;
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        const logStatements = statementsOf(roleOf(fn)).filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')));
        expect(logStatements).toEqual([
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logicalIdOf(fn.logGroup), 'Arn'] },
          },
        ]);
      }
    });
  });

  describe('REST API', () => {
    /** Rebuilds each method's full path from the Resource tree (ParentId chain up to the root). */
    function synthesizedMethods(): Map<string, Record<string, unknown>> {
      const resources = resourcesOf('AWS::ApiGateway::Resource');
      const pathOf = (ref: unknown): string => {
        const id = (ref as { Ref?: string }).Ref;
        if (id === undefined) return ''; // Fn::GetAtt [RestApi, RootResourceId]
        const resource = resources[id]!;
        return `${pathOf(resource.Properties.ParentId)}/${String(resource.Properties.PathPart)}`;
      };
      const methods = new Map<string, Record<string, unknown>>();
      for (const method of Object.values(resourcesOf('AWS::ApiGateway::Method'))) {
        methods.set(`${String(method.Properties.HttpMethod)} ${pathOf(method.Properties.ResourceId)}`, method.Properties);
      }
      return methods;
    }

    it('has exactly the manifest methods (method + full path), each integrated with its own function, besides the 405 mocks', () => {
      const methods = synthesizedMethods();
      const routed = [...methods.keys()].filter((key) => !key.startsWith('ANY '));
      expect(routed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
      for (const route of ROUTES) {
        const integration = methods.get(`${route.method} ${route.path}`)!.Integration as { Type: string; Uri: unknown };
        expect(integration.Type).toBe('AWS_PROXY');
        expect(references(integration.Uri, logicalIdOf(routeFunction(route).function))).toBe(true);
      }
    });

    /** The stack's authorizers by name, each with its logical id. */
    const authorizersByName = (): Map<string, { id: string; properties: Record<string, unknown> }> =>
      new Map(
        Object.entries(resourcesOf('AWS::ApiGateway::Authorizer')).map(([id, resource]) => [
          resource.Properties.Name as string,
          { id, properties: resource.Properties },
        ]),
      );
    const AUTHORIZER_NAMES: Record<AuthorizerBinding, string> = {
      'user-token': 'astral-user-token-authorizer',
      'app-key': 'astral-app-key-authorizer',
      either: 'astral-authorizer',
    };

    it('binds each non-public method to the authorizer its credentials pick, requires an API key on every one, leaves public ones open', () => {
      const authorizers = authorizersByName();
      const methods = synthesizedMethods();
      const bound = new Set<string>();
      for (const route of ROUTES) {
        const method = methods.get(`${route.method} ${route.path}`)!;
        const binding = authorizerFor(route.credentials);
        if (binding === undefined) {
          expect(method.AuthorizationType).toBe('NONE');
          expect(method.AuthorizerId).toBeUndefined();
          expect(method.ApiKeyRequired ?? false).toBe(false);
        } else {
          expect(method.AuthorizationType).toBe('CUSTOM');
          expect(method.AuthorizerId).toEqual({ Ref: authorizers.get(AUTHORIZER_NAMES[binding])!.id });
          expect(method.ApiKeyRequired).toBe(true);
          bound.add(binding);
        }
      }
      // The manifest has routes of each kind, so each authorizer fronts at least one method.
      expect([...bound].sort()).toEqual(['app-key', 'either', 'user-token']);
      expect(methods.get('GET /api/v1/users/me')!.AuthorizerId).toEqual({ Ref: authorizers.get('astral-user-token-authorizer')!.id });
      expect(methods.get('POST /api/v1/users')!.AuthorizerId).toEqual({ Ref: authorizers.get('astral-app-key-authorizer')!.id });
      expect(methods.get('GET /api/v1/users/{user_id}')!.AuthorizerId).toEqual({ Ref: authorizers.get('astral-authorizer')!.id });
    });

    it('has three authorizers on the one authorizer function: Authorization cached 300 s (TOKEN), X-API-Key cached ≤ 30 s, and one uncached without identity source', () => {
      const authorizers = authorizersByName();
      expect([...authorizers.keys()].sort()).toEqual(Object.values(AUTHORIZER_NAMES).sort());
      expect(authorizers.get('astral-user-token-authorizer')!.properties).toMatchObject({
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerResultTtlInSeconds: 300,
      });
      const appKey = authorizers.get('astral-app-key-authorizer')!.properties;
      expect(appKey).toMatchObject({ Type: 'REQUEST', IdentitySource: 'method.request.header.X-API-Key' });
      expect(appKey.AuthorizerResultTtlInSeconds).toBe(AUTHORIZER_CACHE_TTL_SECONDS.appKey);
      // With the authorizer's own memory of a key, the worst revocation lag stays within the documented bound.
      expect((appKey.AuthorizerResultTtlInSeconds as number) + AUTHORIZER_CACHE_TTL_SECONDS.appKeyMemory).toBeLessThanOrEqual(30);
      const either = authorizers.get('astral-authorizer')!.properties;
      expect(either).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
      // Neither X-API-Key nor Authorization may be required up front there: each request carries one of them.
      expect(either.IdentitySource).toBeUndefined();
      for (const { properties } of authorizers.values()) {
        expect(references(properties.AuthorizerUri, logicalIdOf(authorizerFunction().function))).toBe(true);
      }
    });

    it('lets each authorizer invoke the function, and only from its own authorizer ARN', () => {
      const permissions = Object.values(resourcesOf('AWS::Lambda::Permission')).filter(
        (permission) =>
          permission.Properties.Principal === 'apigateway.amazonaws.com' &&
          references(permission.Properties.FunctionName, logicalIdOf(authorizerFunction().function)),
      );
      for (const { id } of authorizersByName().values()) {
        expect(permissions.filter((permission) => references(permission.Properties.SourceArn, id))).toHaveLength(1);
      }
    });

    // A cached answer is evaluated against every later method its authorizer fronts (ADR 0014).
    it('the policy the authorizer answers with (lib/auth/policy.ts) covers every authorized method of the stage, and no other stage or API', () => {
      const stageName = Object.values(resourcesOf('AWS::ApiGateway::Stage'))[0]!.Properties.StageName as string;
      const arn = (key: string, stage = stageName, api = 'a1b2c3d4e5') => {
        const [method, path] = key.split(' ');
        return `arn:aws:execute-api:eu-west-1:123456789012:${api}/${stage}/${method}${path!.replace(/\{[a-z_]+\}/g, 'x_1')}`;
      };
      const authorized = [...synthesizedMethods()].filter(([, method]) => method.AuthorizationType === 'CUSTOM').map(([key]) => key);
      expect(authorized.length).toBeGreaterThan(10);
      for (const key of authorized) {
        const answer = { principalId: 'usr_x', policyDocument: apiWidePolicy('Allow', arn(key)), usageIdentifierKey: 'k' };
        for (const other of authorized) expect([other, evaluateAuthorizerResult(answer, arn(other)).kind]).toEqual([other, 'allow']);
        expect(evaluateAuthorizerResult(answer, arn(key, 'other-stage')).kind).toBe('deny');
        expect(evaluateAuthorizerResult(answer, arn(key, stageName, 'otherapi00')).kind).toBe('deny');
      }
    });

    const cfnLintOnPath = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
    (cfnLintOnPath ? it : it.skip)('cfn-lint (when on PATH) finds no error in the template', () => {
      const file = join(synth.outdir, `${synth.stack.artifactId}.template.json`);
      const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], { encoding: 'utf8' });
      // Its exit status is a bit mask: 2 means errors (4 warnings, 8 informational).
      const errors = run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
      expect(errors).toEqual([]);
      expect((run.status ?? 2) & 2).toBe(0);
    });

    it('takes API keys from the authorizer (usage identifier), not from the X-API-Key header', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    });

    const usagePlanNamed = (name: string) => {
      const entry = Object.entries(resourcesOf('AWS::ApiGateway::UsagePlan')).find(([, plan]) => plan.Properties.UsagePlanName === name);
      expect(entry).toBeDefined();
      return { id: entry![0], plan: entry![1] };
    };

    it('meters user-token traffic under its own usage plan, with the key the authorizer returns for users', () => {
      const { id, plan } = usagePlanNamed('astral-user-traffic');
      expect(plan.Properties).toMatchObject({ Throttle: { RateLimit: expect.any(Number), BurstLimit: expect.any(Number) } });
      const [keyId, key] = Object.entries(resourcesOf('AWS::ApiGateway::ApiKey'))[0]!;
      expect(Object.keys(resourcesOf('AWS::ApiGateway::ApiKey'))).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
        KeyId: { Ref: keyId },
        UsagePlanId: { Ref: id },
        KeyType: 'API_KEY',
      });
      const value = key.Properties.Value as string;
      expect(value).toMatch(/^astral-users-[0-9a-f]{32}$/);
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ USER_USAGE_KEY: value }) } });
    });

    it('meters app keys with a usage plan (throttle and quota) bound to the deployed stage', () => {
      const restApiId = onlyLogicalId('AWS::ApiGateway::RestApi');
      const stageId = onlyLogicalId('AWS::ApiGateway::Stage');
      const { plan } = usagePlanNamed('astral-app-keys');
      expect(plan.Properties).toMatchObject({
        Throttle: { RateLimit: expect.any(Number), BurstLimit: expect.any(Number) },
        Quota: { Limit: expect.any(Number), Period: expect.stringMatching(/^(DAY|WEEK|MONTH)$/) },
        ApiStages: [{ ApiId: { Ref: restApiId }, Stage: { Ref: stageId } }],
      });
    });

    it('deploys a stage with access logs, X-Ray tracing and error-level execution logging without data traces', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        MethodSettings: Match.arrayWith([
          Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false }),
        ]),
      });
    });

    describe('405 for a method a resource does not have', () => {
      const anyMethods = () => [...synthesizedMethods()].filter(([key]) => key.startsWith('ANY '));

      it('gives every resource with methods, and no other, one public ANY method', () => {
        const resourcePaths = [...new Set(ROUTES.map((route) => route.path))].sort();
        expect(
          anyMethods()
            .map(([key]) => key.slice('ANY '.length))
            .sort(),
        ).toEqual(resourcePaths);
        for (const [, method] of anyMethods()) {
          expect(method.AuthorizationType).toBe('NONE');
          expect(method.AuthorizerId).toBeUndefined();
          expect(method.ApiKeyRequired ?? false).toBe(false);
        }
      });

      it('answers with a MOCK integration: 405, our error body, and Allow equal to the resource’s methods', () => {
        for (const [key, method] of anyMethods()) {
          const path = key.slice('ANY '.length);
          const allow = allowHeader(ROUTES.filter((route) => route.path === path).map((route) => route.method));
          const integration = method.Integration as {
            Type: string;
            RequestTemplates: Record<string, string>;
            IntegrationResponses: {
              StatusCode: string;
              SelectionPattern?: string;
              ResponseParameters: unknown;
              ResponseTemplates: Record<string, string>;
            }[];
          };
          expect(integration.Type).toBe('MOCK');
          expect(JSON.parse(integration.RequestTemplates['application/json']!)).toEqual({ statusCode: 405 });
          expect(integration.IntegrationResponses).toHaveLength(1);
          const [response] = integration.IntegrationResponses;
          // No selection pattern: the default response, whatever the mock says.
          expect(response!.SelectionPattern).toBeUndefined();
          expect(response!.StatusCode).toBe('405');
          expect(response!.ResponseParameters).toEqual({ 'method.response.header.Allow': `'${allow}'` });
          expect(JSON.parse(response!.ResponseTemplates['application/json']!)).toEqual(METHOD_NOT_ALLOWED_ERROR);
          // The method response must declare the header the integration response sets.
          expect(method.MethodResponses).toEqual([{ StatusCode: '405', ResponseParameters: { 'method.response.header.Allow': true } }]);
        }
      });

      it('answers DELETE /api/v1/organizations with Allow: POST (the documented create is its only method)', () => {
        const method = synthesizedMethods().get('ANY /api/v1/organizations')!;
        const [response] = (method.Integration as { IntegrationResponses: { ResponseParameters: Record<string, string> }[] })
          .IntegrationResponses;
        expect(response!.ResponseParameters['method.response.header.Allow']).toBe("'POST'");
      });
    });

    describe('gateway responses carry our JSON error body', () => {
      const responses = (): Map<string, Record<string, unknown>> =>
        new Map(
          Object.values(resourcesOf('AWS::ApiGateway::GatewayResponse')).map((r) => [String(r.Properties.ResponseType), r.Properties]),
        );
      const bodyOf = (response: Record<string, unknown>): unknown =>
        JSON.parse((response.ResponseTemplates as Record<string, string>)['application/json']!);

      it.each([
        ['UNAUTHORIZED', '401', LOCAL_GATEWAY_ERRORS.unauthorized.body],
        ['INVALID_API_KEY', '403', LOCAL_GATEWAY_ERRORS.forbidden.body],
        ['THROTTLED', '429', { message: expect.any(String), code: 'throttled' }],
        ['QUOTA_EXCEEDED', '429', { message: expect.any(String), code: 'throttled' }],
        ['MISSING_AUTHENTICATION_TOKEN', '404', LOCAL_GATEWAY_ERRORS.notFound.body],
        ['REQUEST_TOO_LARGE', '413', LOCAL_GATEWAY_ERRORS.payloadTooLarge.body],
        ['INTEGRATION_TIMEOUT', '504', LOCAL_GATEWAY_ERRORS.timeout.body],
        ['DEFAULT_5XX', undefined, LOCAL_GATEWAY_ERRORS.internal.body], // keeps the 5XX status API Gateway chose
      ])('%s → status %s, same body as the local stack', (type, status, body) => {
        const response = responses().get(type);
        expect(response).toBeDefined();
        expect(response!.StatusCode).toBe(status);
        expect(response!.ResponseParameters).toEqual({ 'gatewayresponse.header.Content-Type': "'application/json'" });
        expect(bodyOf(response!)).toEqual(body);
      });

      it.each([
        ['AUTHORIZER_FAILURE', 'the authorizer threw: its table throttled or out of reach'],
        ['AUTHORIZER_CONFIGURATION_ERROR', 'the authorizer could not be invoked: throttled at its reserved concurrency'],
      ])('%s (%s) → 503 unavailable with Retry-After, as locally', (type) => {
        const response = responses().get(type);
        expect(response).toBeDefined();
        expect(response!.StatusCode).toBe(String(LOCAL_GATEWAY_ERRORS.unavailable.status));
        expect(response!.ResponseParameters).toEqual({
          'gatewayresponse.header.Content-Type': "'application/json'",
          'gatewayresponse.header.Retry-After': `'${GATEWAY_RETRY_AFTER_SECONDS}'`,
        });
        expect(bodyOf(response!)).toEqual(LOCAL_GATEWAY_ERRORS.unavailable.body);
      });

      it("UNAUTHORIZED (a cached authorizer's identity source missing: no call) says missing_credentials", () => {
        expect(bodyOf(responses().get('UNAUTHORIZED')!)).toMatchObject({ details: [{ path: 'headers', reason: 'missing_credentials' }] });
      });

      it('ACCESS_DENIED (our authorizer’s Deny) is a 401 whose details come from the authorizer context', () => {
        const response = responses().get('ACCESS_DENIED')!;
        expect(response.StatusCode).toBe('401');
        expect(response.ResponseParameters).toEqual({ 'gatewayresponse.header.Content-Type': "'application/json'" });
        const template = (response.ResponseTemplates as Record<string, string>)['application/json']!;
        // The very template the local gateway renders.
        expect(template).toBe(ACCESS_DENIED_TEMPLATE);
        expect(template.match(/\$context\.authorizer\.[a-z_]+/g)?.sort()).toEqual([
          '$context.authorizer.reason',
          '$context.authorizer.reason_message',
          '$context.authorizer.reason_path',
        ]);
        for (const reason of CREDENTIAL_REJECTION_REASONS) {
          const context = rejectionContext(reason);
          // Substituted as API Gateway does (verbatim): valid JSON, exactly one detail naming the reason.
          const rendered = template.replace(/\$context\.authorizer\.([a-z_]+)/g, (_m, key: string) => context[key as keyof typeof context]);
          expect(rendered).toBe(renderGatewayTemplate(template, context));
          expect(JSON.parse(rendered)).toEqual({
            message: 'invalid or missing credentials',
            code: 'unauthorized',
            details: [{ path: context.reason_path, message: context.reason_message, reason }],
          });
        }
      });

      it('DEFAULT_4XX keeps API Gateway’s status and message (as a JSON string) in our shape', () => {
        const response = responses().get('DEFAULT_4XX')!;
        expect(response.StatusCode).toBeUndefined();
        const rendered = (response.ResponseTemplates as Record<string, string>)['application/json']!.replace(
          '$context.error.messageString',
          '"Unsupported Media Type"',
        );
        expect(JSON.parse(rendered)).toEqual({ message: 'Unsupported Media Type', code: 'bad_request' });
      });
    });
  });

  describe('table', () => {
    it('is on-demand, retained, deletion-protected, with PITR, TTL and a stream of both images', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.ttlAttribute, Enabled: true },
          KeySchema: [
            { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
          ],
        }),
      });
    });

    it('has exactly the GSIs of TABLE_DESIGN, projecting all attributes, with string keys', () => {
      const [table] = Object.values(resourcesOf('AWS::DynamoDB::Table'));
      const indexes = table!.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(TABLE_DESIGN.indexes.map((i) => i.name).sort());
      for (const design of TABLE_DESIGN.indexes) {
        expect(indexes.find((i) => i.IndexName === design.name)).toEqual({
          IndexName: design.name,
          KeySchema: [
            { AttributeName: design.partitionKey, KeyType: 'HASH' },
            { AttributeName: design.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        });
      }
      const definitions = table!.Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
      const keyNames = [
        TABLE_DESIGN.partitionKey,
        TABLE_DESIGN.sortKey,
        ...TABLE_DESIGN.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ];
      expect(definitions.map((d) => d.AttributeName).sort()).toEqual([...new Set(keyNames)].sort());
      expect(new Set(definitions.map((d) => d.AttributeType))).toEqual(new Set(['S']));
    });
  });

  /** The event source mapping of one manifest stream consumer. */
  const mappingOf = (name: string): Record<string, unknown> => {
    const functionId = logicalIdOf(streamConsumer(name).handler.function);
    const found = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).find(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: functionId }),
    );
    if (!found) throw new Error(`no event source mapping for ${name}`);
    return found.Properties;
  };

  describe('audit stream consumer', () => {
    const consumer = () => streamConsumer('audit-log');

    it('reads the table stream from the start, bisecting, reporting item failures, with bounded retries and record age', () => {
      const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(STREAM_CONSUMERS.length);
      const mapping = mappingOf('audit-log');
      expect(mapping).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [onlyLogicalId('AWS::DynamoDB::Table'), 'StreamArn'] },
        FunctionName: { Ref: logicalIdOf(consumer().handler.function) },
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The defaults (-1) mean "retry until the record expires": one bad record would block its shard for a day.
      expect(mapping.MaximumRetryAttempts).toEqual(expect.any(Number));
      expect(mapping.MaximumRetryAttempts as number).toBeGreaterThanOrEqual(0);
      expect(mapping.MaximumRetryAttempts as number).toBeLessThanOrEqual(10);
      expect(mapping.MaximumRecordAgeInSeconds).toEqual(expect.any(Number));
      expect(mapping.MaximumRecordAgeInSeconds as number).toBeGreaterThanOrEqual(60);
      expect(mapping.MaximumRecordAgeInSeconds as number).toBeLessThanOrEqual(6 * 3600);
      expect(mapping.BatchSize as number).toBeGreaterThan(0);
    });

    it('filters out the audit writer’s own items (and TTL removals) with a pattern Lambda supports', () => {
      const mapping = mappingOf('audit-log');
      const filters = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters).toHaveLength(1);
      expect(JSON.parse(filters[0]!.Pattern)).toEqual({
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { entity: { S: [{ 'anything-but': ['audit_event', 'feed_entry'] }] }, org_id: { S: [{ exists: true }] } } },
      });
    });

    it('sends records that still fail to an encrypted, SSL-only SQS queue', () => {
      const queueId = logicalIdOf(consumer().failureQueue);
      const mapping = mappingOf('audit-log');
      expect(mapping.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
      expect(resourcesOf('AWS::SQS::Queue')[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });
  });

  describe('every stream consumer', () => {
    it.each(STREAM_CONSUMERS.map((c) => [c.name]))('%s has its own bounded, filtered mapping and failure queue', (name) => {
      const mapping = mappingOf(name);
      expect(mapping).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const filters = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern) as unknown);
      expect(filters).toEqual(STREAM_FILTERS[name]);
      expect(mapping.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(streamConsumer(name).failureQueue), 'Arn'] } },
      });
    });

    it('feeds the feed projector activity inserts and deletes only, by key prefix', () => {
      expect(JSON.parse((mappingOf('feed-projector').FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]!.Pattern)).toEqual({
        eventName: ['INSERT', 'REMOVE'],
        dynamodb: { Keys: { sk: { S: [{ prefix: 'ACT#' }] } } },
      });
    });

    it('feeds the leaderboard projector profile and group inserts and updates only, by key (never its own BOARD# items)', () => {
      const filters = (mappingOf('leaderboard-projector').FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['PROFILE'] } } } },
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'GROUP#' }] } } } },
      ]);
    });
  });

  describe('outputs', () => {
    it('exports the API URL, the table name and the usage plan id (the key-issuing script needs the last two)', () => {
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs.TableName?.Value).toEqual({ Ref: onlyLogicalId('AWS::DynamoDB::Table') });
      const appPlan = Object.entries(resourcesOf('AWS::ApiGateway::UsagePlan')).find(
        ([, plan]) => plan.Properties.UsagePlanName === 'astral-app-keys',
      );
      expect(outputs.UsagePlanId?.Value).toEqual({ Ref: appPlan?.[0] });
      expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('api/v1');
    });
  });
}
