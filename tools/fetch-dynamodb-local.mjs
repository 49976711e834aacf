// Fetches AWS DynamoDB Local (with Streams and transactions) into .dynamodb-local/ at the repository
// root. It ships inside the npm package amplify-dynamodb-simulator, whose JavaScript dependencies we
// do not want, so only its tarball is fetched (`npm pack`) and only `package/emulator/` is unpacked.
//
// Runs as the npm postinstall script and, lazily, from local/dynamodb-local.ts when the jar is missing
// (a clone whose install skipped scripts still works). Plain Node, no dependencies, and no
// import.meta: jest compiles the local runtime to CommonJS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
export const DYNAMODB_LOCAL_DIR = '.dynamodb-local';
const MARKER = '.package';

/** Where the jar lives for a repository root; `ready` is true when a complete, current unpack is there. */
export function dynamoDbLocalLocation(rootDir = process.cwd()) {
  const dir = resolve(rootDir, DYNAMODB_LOCAL_DIR);
  const jar = join(dir, 'DynamoDBLocal.jar');
  const libDir = join(dir, 'DynamoDBLocal_lib');
  const marker = join(dir, MARKER);
  const ready =
    existsSync(jar) && existsSync(libDir) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === DYNAMODB_LOCAL_PACKAGE;
  return { dir, jar, libDir, ready };
}

function npmCommand() {
  // Inside an npm script npm tells us which CLI is running; reuse it rather than whatever is on PATH.
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.[cm]?js$/.test(cli)) return { file: process.execPath, args: [cli] };
  return { file: 'npm', args: [] };
}

/**
 * Makes sure DynamoDB Local is unpacked under rootDir. Fast and silent-ish when already present.
 * Unpacks into a temporary folder and renames it into place, so an interrupted run never leaves a
 * half-unpacked jar that later looks complete.
 */
export function ensureDynamoDbLocal({ rootDir = process.cwd(), log = (line) => console.log(line) } = {}) {
  const location = dynamoDbLocalLocation(rootDir);
  if (location.ready) {
    log(`dynamodb-local: present in ${DYNAMODB_LOCAL_DIR}/`);
    return location;
  }
  const work = mkdtempSync(join(resolve(rootDir), '.dynamodb-local-tmp-'));
  try {
    const npm = npmCommand();
    const output = execFileSync(npm.file, [...npm.args, 'pack', DYNAMODB_LOCAL_PACKAGE, '--pack-destination', work, '--json', '--silent'], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const packed = JSON.parse(output);
    const filename = Array.isArray(packed) && packed[0] && typeof packed[0].filename === 'string' ? packed[0].filename : undefined;
    if (!filename) throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} did not report a tarball`);
    const unpacked = join(work, 'emulator');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(work, filename), '-C', unpacked, '--strip-components=2', 'package/emulator'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (!existsSync(join(unpacked, 'DynamoDBLocal.jar')) || !existsSync(join(unpacked, 'DynamoDBLocal_lib'))) {
      throw new Error(`${DYNAMODB_LOCAL_PACKAGE} did not contain emulator/DynamoDBLocal.jar`);
    }
    writeFileSync(join(unpacked, MARKER), `${DYNAMODB_LOCAL_PACKAGE}\n`);
    rmSync(location.dir, { recursive: true, force: true });
    renameSync(unpacked, location.dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const installed = dynamoDbLocalLocation(rootDir);
  if (!installed.ready) throw new Error(`DynamoDB Local is missing from ${installed.dir} after unpacking`);
  log(`dynamodb-local: unpacked ${DYNAMODB_LOCAL_PACKAGE} into ${DYNAMODB_LOCAL_DIR}/`);
  return installed;
}

const invokedDirectly = typeof process.argv[1] === 'string' && /fetch-dynamodb-local\.mjs$/.test(process.argv[1]);
if (invokedDirectly) {
  if (process.env.ASTRAL_SKIP_DYNAMODB_LOCAL === '1') {
    console.log('dynamodb-local: skipped (ASTRAL_SKIP_DYNAMODB_LOCAL=1)');
  } else {
    try {
      ensureDynamoDbLocal();
    } catch (error) {
      console.error(`dynamodb-local: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
