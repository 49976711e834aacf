import { App, Validations } from 'aws-cdk-lib';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { newAssemblyDir, synthAstral, type SynthesizedApp } from '../synth-app';

export interface ReportViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: { readonly constructPath: string }[];
}
export interface ValidationReport {
  readonly pluginReports: { readonly pluginName: string; readonly conclusion: string; readonly violations: ReportViolation[] }[];
}

export interface NagRun<T> {
  /** What the build returned, when synth did not throw. */
  readonly synth?: T;
  readonly error?: Error;
  /** validation-report.json, which CDK writes into the assembly whether synth passes or fails. */
  readonly report: ValidationReport;
  /** What the pack itself returned to CDK (one entry per time CDK ran it). */
  readonly packResults: { success: boolean; violations: unknown[] }[];
}

const assemblyDirs: string[] = [];

/**
 * Synthesizes with AwsSolutions registered exactly as infra/app.ts does. In cdk-nag v3 a finding is a
 * policy-validation violation: CDK writes it to validation-report.json in the cloud assembly and synth
 * throws (jest runs the app in memory), so a violation can neither pass silently nor only warn.
 */
export function synthWithNag<T>(build: (options: { outdir: string; plugins: AwsSolutionsChecks[] }) => T): NagRun<T> {
  const outdir = newAssemblyDir();
  assemblyDirs.push(outdir);
  const pack = new AwsSolutionsChecks();
  const validate = jest.spyOn(pack, 'validate');
  let synth: T | undefined;
  let error: Error | undefined;
  try {
    synth = build({ outdir, plugins: [pack] });
  } catch (caught) {
    error = caught as Error;
  }
  const reportFile = join(outdir, VALIDATION_REPORT_FILE);
  if (!existsSync(reportFile)) throw new Error(`synth wrote no ${VALIDATION_REPORT_FILE}${error ? `: ${error.message}` : ''}`);
  return {
    ...(synth ? { synth } : {}),
    ...(error ? { error } : {}),
    report: JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport,
    packResults: validate.mock.results.map((r) => r.value as { success: boolean; violations: unknown[] }),
  };
}

/** A one-stack app with the pack registered as infra/app.ts registers it, for synths other than the real stack. */
export function appWithNag(outdir: string, plugins: AwsSolutionsChecks[]): App {
  const app = new App({ outdir });
  Validations.of(app).addPlugins(...plugins);
  return app;
}

let shared: NagRun<SynthesizedApp> | undefined;

/**
 * THE synth of the real stack for every infra test of this run: the one infra/app.ts deploys, with
 * the AwsSolutions pack attached as infra/app.ts attaches it, into one temp assembly whose assets
 * the artifact and budget checks run and measure. Synthesized on first use, so a test run alone
 * (`-t`) that needs no synth pays for none.
 */
export function sharedNagRun(): NagRun<SynthesizedApp> {
  return (shared ??= synthWithNag(({ outdir, plugins }) => synthAstral({ outdir, plugins })));
}

/** The shared synth; throws synth's own error (an unacknowledged finding, say) if it failed. */
export function sharedAssembly(): SynthesizedApp {
  const run = sharedNagRun();
  if (!run.synth) throw run.error ?? new Error('synth failed');
  return run.synth;
}

/** Removes every assembly directory made here (the shared one included). */
export function disposeAssemblies(): void {
  for (const dir of assemblyDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
