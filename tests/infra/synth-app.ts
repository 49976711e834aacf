import { App, Validations, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AstralStack, type TokenSettings } from '../../infra/astral-stack';

export const TEST_TOKENS: TokenSettings = {
  issuer: 'https://issuer.test/',
  audience: 'astral-api-test, astral-mobile-test',
  clientIds: 'cognito-client-test',
  jwksUrl: 'https://issuer.test/.well-known/jwks.json',
  adminClaim: 'cognito:groups',
  adminGroup: 'admin',
  maxAgeSeconds: 3600,
  type: 'at+jwt',
};

export interface SynthesizedApp {
  readonly app: App;
  readonly stack: AstralStack;
  readonly template: Template;
  /** The cloud assembly directory (assets live in `asset.<hash>` under it). */
  readonly outdir: string;
}

export const newAssemblyDir = (): string => mkdtempSync(join(tmpdir(), 'astral-cdk-'));

/** Builds the real stack (the one infra/app.ts deploys) into a fresh temp assembly; synthesizes once. */
export function synthAstral(
  options: { outdir?: string; plugins?: IPolicyValidationPlugin[]; extend?: (stack: AstralStack) => void } = {},
): SynthesizedApp {
  const outdir = options.outdir ?? newAssemblyDir();
  const app = new App({ outdir });
  const stack = new AstralStack(app, 'Astral', { tokens: TEST_TOKENS, projectRoot: process.cwd() });
  options.extend?.(stack);
  if (options.plugins && options.plugins.length > 0) Validations.of(app).addPlugins(...options.plugins);
  app.synth();
  return { app, stack, template: Template.fromStack(stack), outdir };
}
