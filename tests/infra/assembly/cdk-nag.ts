import { Stack, Validations, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedApp } from '../synth-app';
import { appWithNag, sharedNagRun, synthWithNag, type NagRun, type ReportViolation, type ValidationReport } from './shared';

const nagViolations = (report: ValidationReport): ReportViolation[] =>
  report.pluginReports.filter((r) => r.pluginName === 'AwsSolutions').flatMap((r) => r.violations);

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgementsIn(synth: SynthesizedApp): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of synth.stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: key.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

/** cdk-nag AwsSolutions (v3, policy validation), on the shared synth: the pack is attached to it as infra/app.ts attaches it. */
export function cdkNagSuite(): void {
  let clean: NagRun<SynthesizedApp>;

  beforeAll(() => {
    clean = sharedNagRun();
  });

  it('synthesizes the stack with no unacknowledged finding', () => {
    expect(clean.error).toBeUndefined();
    // The pack did run on this synth, and found nothing left unacknowledged...
    expect(clean.packResults).toEqual([{ success: true, violations: [] }]);
    // ...and the report CDK wrote holds no failure (a clean plugin is left out of it).
    expect(nagViolations(clean.report)).toEqual([]);
    expect(clean.report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
  });

  it('fails synth and reports the resource when a finding is not acknowledged (so the test above can fail)', () => {
    // A stack of one unacknowledged queue (no SSL-only policy, no DLQ), with the pack registered the
    // same way: what it proves is about the registration, so it needs no second synth of the whole stack.
    const run = synthWithNag(({ outdir, plugins }) => {
      const app = appWithNag(outdir, plugins);
      new Queue(new Stack(app, 'NagProbe'), 'UnacknowledgedQueue');
      return app.synth();
    });
    expect(run.synth).toBeUndefined();
    expect(run.error?.message).toMatch(/AwsSolutions-SQS4/);
    expect(run.packResults.map((r) => r.success)).toEqual([false]);
    const violation = nagViolations(run.report).find((v) => v.ruleName === 'AwsSolutions-SQS4');
    expect(violation?.severity).toBe('error');
    expect(violation?.violatingConstructs.map((c) => c.constructPath)).toEqual(['NagProbe/UnacknowledgedQueue/Resource']);
    expect(run.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')?.conclusion).toBe('failure');
  });

  it('gives every acknowledgement one rule finding and a specific reason', () => {
    const acknowledgements = acknowledgementsIn(clean.synth!);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) {
      expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      // A reason says why THIS resource is fine: long enough to carry evidence, not a placeholder.
      expect(reason.length).toBeGreaterThanOrEqual(80);
      expect(reason).not.toMatch(/^(ok|n\/a|todo|tbd|not needed|suppressed|acknowledged)\b/i);
    }
    const reasonsByRule = new Map<string, Set<string>>();
    for (const { id, reason } of acknowledgements)
      reasonsByRule.set(reason, (reasonsByRule.get(reason) ?? new Set()).add(id.replace(/\[.*$/, '')));
    // One boilerplate reason reused for different rules would say nothing about either.
    for (const rules of reasonsByRule.values()) expect(rules.size).toBe(1);
  });

  it('acknowledges nothing that is not actually found (no stale acknowledgement)', () => {
    // The same pack with acknowledgements ignored: what the rules find on the finished tree.
    const raw = new AwsSolutionsChecks();
    Object.assign(raw, { isAcknowledged: () => false });
    const rawFindings = (raw as IPolicyValidationPlugin & { validateScope: AwsSolutionsChecks['validateScope'] })
      .validateScope(clean.synth!.app)
      .violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
    expect(rawFindings.length).toBeGreaterThan(0);
    for (const ack of acknowledgementsIn(clean.synth!)) {
      const matches = rawFindings.filter((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
      expect({ ack: `${ack.path} ${ack.id}`, matches: matches.length > 0 }).toEqual({ ack: `${ack.path} ${ack.id}`, matches: true });
    }
  });

  it('acknowledges in infra code only with the v3 API, each call with a reason', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.ts')) files.push(join(dir, entry.name));
      }
    };
    walk(join(process.cwd(), 'infra'));
    let calls = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(source).not.toMatch(/NagSuppressions|addResourceSuppressions|addStackSuppressions/);
      for (const match of source.matchAll(/\.acknowledge\(\{([\s\S]*?)\}\);/g)) {
        calls += 1;
        expect(match[1]).toMatch(/\bid:\s*[`'"]AwsSolutions-/);
        expect(match[1]).toMatch(/\breason:\s*\n?\s*[`'"]/);
      }
    }
    expect(calls).toBeGreaterThan(0);
  });
}
