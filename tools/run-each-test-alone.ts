/**
 * Runs every test on its own (`jest <file> -t "^<its full name>$"`), to find tests that pass only
 * because an earlier test in their file left something behind. Slow by nature (one jest run per
 * test), so it is a tool rather than part of `npm test`:
 *
 *   npx tsx tools/run-each-test-alone.ts                     # every test file
 *   npx tsx tools/run-each-test-alone.ts tests/e2e/consent.test.ts tests/unit/policy
 *   npx tsx tools/run-each-test-alone.ts --concurrency=2 tests/e2e
 *
 * Arguments are files or directories (under them, every *.test.ts). One DynamoDB Local per test file
 * serves all that file's runs (tests/support/global-setup.ts takes its endpoint) rather than one JVM
 * per run; a fresh one per file, because the tables every run leaves behind slow it down. Prints
 * each test that fails alone, with the first lines of its failure, and exits 1 if there is any.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { SHARED_DYNAMODB_ENDPOINT } from '../tests/support/global-setup';

interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}
interface JestJson {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numRuntimeErrorTestSuites: number;
  readonly testResults: readonly { readonly message: string; readonly assertionResults: readonly AssertionResult[] }[];
}

const root = process.cwd();
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const scratch = mkdtempSync(join(tmpdir(), 'astral-each-test-'));
let runs = 0;

/** One jest run over one file, as JSON (also when tests fail: jest still writes the report). */
function jest(file: string, namePattern: string, env: NodeJS.ProcessEnv): Promise<JestJson> {
  const outputFile = join(scratch, `run-${(runs += 1)}.json`);
  const args = [jestBin, '--runTestsByPath', file, '-t', namePattern, '--json', `--outputFile=${outputFile}`, '--silent', '--ci'];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', fail);
    child.on('exit', () => {
      try {
        done(JSON.parse(readFileSync(outputFile, 'utf8')) as JestJson);
      } catch {
        fail(new Error(`jest wrote no report for ${file} -t ${namePattern}:\n${stderr}`));
      }
    });
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function testFiles(args: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else if (path.endsWith('.test.ts')) found.push(relative(root, path));
  };
  for (const arg of args.length > 0 ? args : ['tests']) walk(resolve(root, arg));
  return found;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const concurrency = Number(args.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? '1');
  const files = testFiles(args.filter((a) => !a.startsWith('--')));
  const failures: { file: string; name: string; why: string }[] = [];
  try {
    for (const file of files) {
      const dynamoDb = await startDynamoDbLocal({ inMemory: true });
      const env = { ...process.env, [SHARED_DYNAMODB_ENDPOINT]: dynamoDb.endpoint };
      try {
        // A pattern no full name matches: jest collects every test, runs none (nor their hooks), and lists them.
        const listing = await jest(file, '^$', env);
        const names = listing.testResults.flatMap((result) => result.assertionResults.map((a) => a.fullName));
        if (names.length === 0) {
          failures.push({ file, name: '(file)', why: listing.testResults[0]?.message || 'no tests found' });
          continue;
        }
        const started = performance.now();
        let failed = 0;
        await pool(names, concurrency, async (name) => {
          const result = await jest(file, `^${escapeRegExp(name)}$`, env);
          const mine = result.testResults.flatMap((r) => r.assertionResults).filter((a) => a.status !== 'pending');
          const ok = result.numRuntimeErrorTestSuites === 0 && result.numFailedTests === 0 && result.numPassedTests >= 1;
          if (ok) return;
          failed += 1;
          const why =
            mine.flatMap((a) => a.failureMessages).join('\n') || result.testResults.map((r) => r.message).join('\n') || 'no test ran';
          failures.push({ file, name, why });
          console.log(`  FAILS ALONE: ${file} -t "${name}"`);
        });
        console.log(`${file}: ${names.length} tests, ${failed} failed alone (${Math.round((performance.now() - started) / 1000)} s)`);
      } finally {
        await dynamoDb.stop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const { file, name, why } of failures) {
    console.log(`\n✕ ${file} -t "${name}"\n${why.split('\n').slice(0, 12).join('\n')}`);
  }
  console.log(`\n${failures.length} test(s) fail when run alone.`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
