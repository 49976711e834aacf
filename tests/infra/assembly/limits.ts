import { AUTHORIZER } from '../../../functions/manifest';
import { LIMIT_DEFAULTS, WAF_WINDOW_SECONDS } from '../../../infra/constructs/fair-use';
import type { SynthesizedApp } from '../synth-app';
import { sharedAssembly } from './shared';

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface RateRule {
  readonly Name: string;
  readonly Statement: { readonly RateBasedStatement: Record<string, unknown> };
  readonly Action: { readonly Block?: { readonly CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string } } };
}

let synth: SynthesizedApp;
const resourcesOf = (type: string): Record<string, CfnResource> => synth.template.findResources(type) as Record<string, CfnResource>;
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;

/** Per-caller fairness and the authorizer's reserved concurrency (ADR 0023), with the defaults, on the shared synth. */
export function limitsSuite(): void {
  beforeAll(() => {
    synth = sharedAssembly();
  });

  it('attaches one regional web ACL to the stage, allowing by default, with a rate rule per token and per address', () => {
    const acls = Object.values(resourcesOf('AWS::WAFv2::WebACL'));
    expect(acls).toHaveLength(1);
    const acl = acls[0]!.Properties;
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const rules = acl.Rules as RateRule[];
    expect(rules.map((r) => r.Name)).toEqual(['per-token', 'per-address']);
    const [perToken, perAddress] = rules.map((r) => r.Statement.RateBasedStatement);
    expect(perToken).toMatchObject({
      Limit: LIMIT_DEFAULTS.wafTokenLimit,
      EvaluationWindowSec: WAF_WINDOW_SECONDS,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
      ScopeDownStatement: {
        SizeConstraintStatement: { FieldToMatch: { SingleHeader: { Name: 'authorization' } }, ComparisonOperator: 'GT', Size: 0 },
      },
    });
    expect(perAddress).toMatchObject({
      Limit: LIMIT_DEFAULTS.wafAddressLimit,
      EvaluationWindowSec: WAF_WINDOW_SECONDS,
      AggregateKeyType: 'IP',
    });

    const association = Object.values(resourcesOf('AWS::WAFv2::WebACLAssociation'));
    expect(association).toHaveLength(1);
    const stageId = logicalIdOf(synth.stack.api.restApi.deploymentStage);
    expect(JSON.stringify(association[0]!.Properties.ResourceArn)).toContain(`"Ref":"${stageId}"`);
    expect(association[0]!.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [Object.keys(resourcesOf('AWS::WAFv2::WebACL'))[0], 'Arn'] });
    expect(Object.keys(synth.template.toJSON().Outputs as object)).toContain('WebAclArn');
  });

  it('answers a limited caller 429 in the API’s error shape, as API Gateway’s own throttle does', () => {
    const acl = Object.values(resourcesOf('AWS::WAFv2::WebACL'))[0]!.Properties;
    for (const rule of acl.Rules as RateRule[])
      expect(rule.Action.Block?.CustomResponse).toEqual({ ResponseCode: 429, CustomResponseBodyKey: 'throttled' });
    const body = (acl.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>).throttled!;
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual({ message: 'too many requests', code: 'throttled' });
  });

  it('reserves concurrency for the authorizer and for no other function', () => {
    const reserved = Object.entries(resourcesOf('AWS::Lambda::Function'))
      .filter(([, r]) => r.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([id, r]) => [id, r.Properties.ReservedConcurrentExecutions]);
    const authorizerId = Object.entries(resourcesOf('AWS::Lambda::Function')).find(
      ([, r]) => r.Properties.Description === `astral ${AUTHORIZER.name}`,
    )?.[0];
    expect(authorizerId).toBeDefined();
    expect(reserved).toEqual([[authorizerId, LIMIT_DEFAULTS.authorizerReservedConcurrency]]);
    // The account's unreserved pool keeps at least 100 of the default 1,000 with every route running.
    expect(LIMIT_DEFAULTS.authorizerReservedConcurrency).toBeLessThanOrEqual(900);
  });
}
