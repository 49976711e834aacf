import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * What an operator tunes (cdk context `astral:waf…`, `astral:authorizerReservedConcurrency`; parsed in
 * infra/limit-settings.ts). Every field has a default: docs/adr/0023-fair-use-limits.md has the numbers.
 */
export interface LimitSettings {
  /** Attach the rate-limiting web ACL to the stage (default true). */
  readonly waf?: boolean;
  /** Requests one bearer token may make in 5 minutes before WAF answers 429. */
  readonly wafTokenLimit?: number;
  /** Requests one source address may make in 5 minutes, whatever it sends. */
  readonly wafAddressLimit?: number;
  /** Concurrency set aside for (and capping) the authorizer; 0 reserves none. */
  readonly authorizerReservedConcurrency?: number;
}

export const LIMIT_DEFAULTS = {
  waf: true,
  wafTokenLimit: 1_500,
  wafAddressLimit: 30_000,
  authorizerReservedConcurrency: 100,
} as const satisfies Required<LimitSettings>;

/** WAF counts over this window; ADR 0023's per-second figures are these limits divided by 300. */
export const WAF_WINDOW_SECONDS = 300;

/** The body WAF answers a blocked request with: the API's error shape (api.md "Errors"), same code as API Gateway's throttle. */
const RATE_LIMITED_BODY = JSON.stringify({ message: 'too many requests', code: 'throttled' });

export interface FairUseProps {
  readonly stage: Stage;
  readonly tokenLimit: number;
  readonly addressLimit: number;
}

function rateRule(name: string, priority: number, statement: CfnWebACL.RateBasedStatementProperty): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: { rateBasedStatement: statement },
    action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'throttled' } } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `astral-${name}`, sampledRequestsEnabled: true },
  };
}

/**
 * Per-caller fairness in front of the stage (ADR 0023). The usage plans meter each app key, but every
 * user token shares one plan, so one user (or one leaked token in a loop) could use all of it: WAF
 * counts each bearer token on its own, and each source address as a backstop for callers that send
 * a fresh credential every time (each would be its own token key, and each still costs an authorizer
 * call). No managed rule groups: the common rule set blocks bodies over 8 KB, and an activity with
 * its polyline is up to 100 KB.
 */
export class FairUse extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FairUseProps) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'Astral API - per-token and per-address rate limits, ADR 0023',
      defaultAction: { allow: {} },
      customResponseBodies: { throttled: { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'astral-api', sampledRequestsEnabled: true },
      rules: [
        rateRule('per-token', 0, {
          limit: props.tokenLimit,
          evaluationWindowSec: WAF_WINDOW_SECONDS,
          aggregateKeyType: 'CUSTOM_KEYS',
          // The header as sent: a token is one user's for its lifetime (at most the configured max age).
          customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          // A request without the header is not aggregated by this rule at all (the address rule still counts it).
          scopeDownStatement: {
            sizeConstraintStatement: {
              fieldToMatch: { singleHeader: { Name: 'authorization' } },
              comparisonOperator: 'GT',
              size: 0,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        }),
        rateRule('per-address', 1, {
          limit: props.addressLimit,
          evaluationWindowSec: WAF_WINDOW_SECONDS,
          aggregateKeyType: 'IP',
        }),
      ],
    });
    new CfnWebACLAssociation(this, 'StageAssociation', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
