import { artifactSuite } from './assembly/artifact';
import { budgetArtifactsSuite } from './assembly/budget-artifacts';
import { cdkNagSuite } from './assembly/cdk-nag';
import { limitsSuite } from './assembly/limits';
import { operationsSuite } from './assembly/operations';
import { disposeAssemblies } from './assembly/shared';
import { stackTemplateSuite } from './assembly/stack-template';

/**
 * Every check on the synthesized AstralStack, on ONE synth (tests/infra/assembly/shared.ts): the
 * template, cdk-nag, the deployed artifact run as Lambda would run it, and the artifact budgets.
 *
 * Why one test file: a full synth bundles ~35 functions and the layer (~5 s), and each test file
 * paid for its own. Jest gives every test file its own module registry (and runs files in separate
 * worker processes), so an in-memory App cannot be shared across files; and these checks need the
 * in-memory construct tree, not only files on disk (logical ids resolved from constructs, cdk-nag's
 * acknowledgement metadata and `validateScope(app)`), so an assembly written once by jest's global
 * setup would not serve them, and would add a serial synth before every run, even of one unit test.
 * Here the synth runs once, on first use, in parallel with the other test files; each topic keeps
 * its own module and its own describe block.
 */
afterAll(() => {
  disposeAssemblies();
});

describe('stack template', stackTemplateSuite);
describe('alarms, dashboard, tracing and log retention', operationsSuite);
describe('fair-use limits (ADR 0023)', limitsSuite);
describe('cdk-nag AwsSolutions (v3, policy validation)', cdkNagSuite);
describe('organizations-create as deployed (function asset + layer asset)', artifactSuite);
describe('artifact budgets', budgetArtifactsSuite);
