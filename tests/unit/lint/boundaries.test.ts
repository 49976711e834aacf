import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run lint` passing proves nothing unless its rules can fail: a rule whose path pattern stopped
 * matching anything would pass forever. The fixture tree plants one violation of each rule of
 * `.dependency-cruiser.cjs` (and one allowed import, `@astral/lib/http` from a function), and this
 * test runs the same config over it.
 */
const root = process.cwd();
const fixture = join(root, 'tests/support/fixtures/boundaries');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

function cruiseFixture(): string[] {
  const out = execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      '--config',
      join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
      'lib',
      'functions',
      'infra',
    ],
    { cwd: fixture, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const result = JSON.parse(out) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

it('fires every boundary rule on its planted violation, and nothing else', () => {
  expect(cruiseFixture()).toEqual([
    'functions-stay-in-their-folder: functions/alpha/handler.ts -> functions/beta/handler.ts',
    'functions-use-the-layer: functions/alpha/handler.ts -> lib/auth/index.ts',
    'infra-imports-entries-and-constants: infra/stack.ts -> functions/beta/handler.ts',
    'lib-stands-alone: lib/cycle/index.ts -> functions/alpha/handler.ts',
    'no-folder-cycles: lib/auth -> lib/http',
    'no-folder-cycles: lib/http -> lib/auth',
    'no-module-cycles: lib/cycle/a.ts -> lib/cycle/index.ts',
    'only-openapi-get-loads-the-document: functions/beta/handler.ts -> docs/openapi.json',
    'policy-is-pure: lib/policy/index.ts -> lib/http/index.ts',
    'repositories-know-no-http: lib/repositories/index.ts -> lib/http/index.ts',
    'repositories-know-no-http: lib/repositories/index.ts -> lib/http/logger.ts',
    'table-design-is-a-leaf: lib/repositories/table-design.ts -> lib/config/index.ts',
  ]);
});
