import { Template } from 'aws-cdk-lib/assertions';
import { AstralStack } from '../../infra/astral-stack';
import type { LimitSettings } from '../../infra/constructs/fair-use';
import { limitSettings } from '../../infra/limit-settings';
import { appWithNag, disposeAssemblies, synthWithNag } from './assembly/shared';
import { TEST_TOKENS } from './synth-app';

/**
 * The limits as an operator sets them through cdk context (ADR 0023). The defaults are checked on the
 * real synth (tests/infra/assembly/limits.ts); these stacks skip asset bundling, which the settings do
 * not touch, so each costs a construct tree rather than a full synth.
 */
function synthWith(limits: LimitSettings) {
  return synthWithNag(({ outdir, plugins }) => {
    const app = appWithNag(outdir, plugins);
    app.node.setContext('aws:cdk:bundling-stacks', []);
    const stack = new AstralStack(app, 'Astral', { tokens: TEST_TOKENS, projectRoot: process.cwd(), limits });
    app.synth();
    return Template.fromStack(stack);
  });
}

afterAll(() => {
  disposeAssemblies();
});

describe('fair-use limits from cdk context (ADR 0023)', () => {
  const context = (values: Record<string, unknown>) => (key: string) => values[key];

  it('reads each setting, as cdk.json (numbers, booleans) or -c (strings) gives it', () => {
    expect(limitSettings(context({}))).toEqual({});
    expect(
      limitSettings(context({ waf: 'false', wafTokenLimit: '600', wafAddressLimit: 12_000, authorizerReservedConcurrency: '0' })),
    ).toEqual({ waf: false, wafTokenLimit: 600, wafAddressLimit: 12_000, authorizerReservedConcurrency: 0 });
    expect(limitSettings(context({ waf: true }))).toEqual({ waf: true });
  });

  it.each([
    ['waf', 'no', /astral:waf must be true or false/],
    ['wafTokenLimit', '9', /astral:wafTokenLimit must be a whole number from 10 to 2000000000/],
    ['wafAddressLimit', '1.5', /astral:wafAddressLimit must be a whole number/],
    ['authorizerReservedConcurrency', 901, /astral:authorizerReservedConcurrency must be a whole number from 0 to 900/],
    ['authorizerReservedConcurrency', -1, /from 0 to 900/],
  ])('refuses %s = %p, naming the key', (key, value, message) => {
    expect(() => limitSettings(context({ [key]: value }))).toThrow(message);
  });

  it('takes the limits it is given', () => {
    const run = synthWith({ wafTokenLimit: 600, wafAddressLimit: 12_000, authorizerReservedConcurrency: 40 });
    expect(run.error).toBeUndefined();
    const template = run.synth!;
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties as {
      Rules: { Statement: { RateBasedStatement: { Limit: number } } }[];
    };
    expect(acl.Rules.map((r) => r.Statement.RateBasedStatement.Limit)).toEqual([600, 12_000]);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { ReservedConcurrentExecutions: 40 }, 1);
  });

  it('can turn both off, and the stack still passes cdk-nag (the missing WAF is acknowledged with the reason)', () => {
    const run = synthWith({ waf: false, authorizerReservedConcurrency: 0 });
    expect(run.error).toBeUndefined();
    const template = run.synth!;
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')))
      expect((fn.Properties as Record<string, unknown>).ReservedConcurrentExecutions).toBeUndefined();
    expect(run.report.pluginReports.every((r) => r.violations.length === 0)).toBe(true);
  });

  it('with the web ACL on, needs no acknowledgement of the missing WAF', () => {
    const run = synthWith({});
    expect(run.error).toBeUndefined();
    expect(JSON.stringify(run.report)).not.toContain('APIG3');
  });
});
