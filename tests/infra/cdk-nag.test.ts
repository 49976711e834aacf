import { Validations, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AstralStack } from '../../infra/astral-stack';
import { newAssemblyDir, synthAstral, type SynthesizedApp } from './synth-app';

interface ReportViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: { readonly constructPath: string }[];
}
interface ValidationReport {
  readonly pluginReports: { readonly pluginName: string; readonly conclusion: string; readonly violations: ReportViolation[] }[];
}

interface NagRun {
  readonly synth?: SynthesizedApp;
  readonly error?: Error;
  readonly report: ValidationReport;
  /** What the pack itself returned to CDK (one entry per time CDK ran it). */
  readonly packResults: { success: boolean; violations: unknown[] }[];
}

/**
 * Synthesizes the stack with AwsSolutions registered exactly as infra/app.ts does. In cdk-nag v3 a
 * finding is a policy-validation violation: CDK writes it to validation-report.json in the cloud
 * assembly and synth throws (jest runs the app in memory), so a violation can neither pass silently
 * nor only warn.
 */
const assemblyDirs: string[] = [];
afterAll(() => {
  for (const dir of assemblyDirs) rmSync(dir, { recursive: true, force: true });
});

function synthWithNag(extend?: (stack: AstralStack) => void): NagRun {
  const outdir = newAssemblyDir();
  assemblyDirs.push(outdir);
  let error: Error | undefined;
  let synth: SynthesizedApp | undefined;
  const pack = new AwsSolutionsChecks();
  const validate = jest.spyOn(pack, 'validate');
  try {
    synth = synthAstral({ outdir, plugins: [pack], ...(extend ? { extend } : {}) });
  } catch (caught) {
    error = caught as Error;
  }
  const reportFile = join(outdir, VALIDATION_REPORT_FILE);
  expect(existsSync(reportFile)).toBe(true);
  const packResults = validate.mock.results.map((r) => r.value as { success: boolean; violations: unknown[] });
  return {
    ...(synth ? { synth } : {}),
    ...(error ? { error } : {}),
    report: JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport,
    packResults,
  };
}

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

describe('cdk-nag AwsSolutions (v3, policy validation)', () => {
  let clean: NagRun;

  beforeAll(() => {
    clean = synthWithNag();
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
    const run = synthWithNag((stack) => {
      new Queue(stack, 'UnacknowledgedQueue'); // no SSL-only policy, no DLQ
    });
    expect(run.error?.message).toMatch(/AwsSolutions-SQS4/);
    expect(run.packResults.map((r) => r.success)).toEqual([false]);
    const violation = nagViolations(run.report).find((v) => v.ruleName === 'AwsSolutions-SQS4');
    expect(violation?.severity).toBe('error');
    expect(violation?.violatingConstructs.map((c) => c.constructPath)).toEqual(['Astral/UnacknowledgedQueue/Resource']);
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
});
