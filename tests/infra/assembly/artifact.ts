import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { ROUTES } from '../../../functions/manifest';
import { constructIdFor } from '../../../infra/astral-stack';
import type { ApiFunction } from '../../../infra/constructs/api-function';
import { toAuthorizerContext } from '../../../lib/auth/principal';
import { ENV } from '../../../lib/config/env';
import { keys, newUserId, UserRepository } from '../../../lib/repositories';
import { createTestTable, testDocumentClient, testDynamoDbEndpoint } from '../../support/dynamodb';
import { proxyEvent } from '../../support/proxy-event';
import type { SynthesizedApp } from '../synth-app';
import { sharedAssembly } from './shared';

/**
 * Runs what would be deployed, not the sources: the synthesized function asset as /var/task and the
 * synthesized layer asset as /opt, in a fresh Node 24 process that resolves bare specifiers the way
 * Lambda's Node.js runtime does for layers, against DynamoDB Local.
 */
const ROUTE = ROUTES.find((route) => route.name === 'organizations-create')!;

/**
 * Lambda's runtime resolves a package the function does not ship from the layer directories under
 * /opt, newest-runtime directory first. Node's own resolution runs first (so /var/task wins).
 */
const LAYER_RESOLVE_HOOK = `
import { pathToFileURL } from 'node:url';
const root = process.env.LAMBDA_ROOT;
const layerDirs = [root + '/opt/nodejs/node24/node_modules', root + '/opt/nodejs/node_modules'];
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const bare = !/^(node:|file:|data:|\\.{0,2}\\/)/.test(specifier);
    if (!bare || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const dir of layerDirs) {
      try {
        const resolved = await nextResolve(specifier, { ...context, parentURL: pathToFileURL(dir + '/../index.mjs').href });
        if (resolved.url.startsWith(pathToFileURL(dir).href)) return resolved;
      } catch {}
    }
    throw error;
  }
}`;

/** Imports the handler like the runtime (index.handler), invokes it once, writes the result as JSON. */
const INVOKE = `
import { register } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [, , eventFile, resultFile, withLayers] = process.argv;
const root = process.env.LAMBDA_ROOT;
if (withLayers === 'layers') register(pathToFileURL(root + '/layer-resolve-hook.mjs'));
const { handler } = await import(pathToFileURL(root + '/var/task/index.mjs').href);
const context = {
  functionName: 'astral-organizations-create', functionVersion: '$LATEST', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:astral-organizations-create',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', logGroupName: '/aws/lambda/astral', logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 25000,
};
const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
writeFileSync(resultFile, JSON.stringify(result));`;

/** organizations-create as API Gateway invokes it for an app key: JSON body, the authorizer's app context, a usage-plan key. */
const appEvent = (body: unknown): APIGatewayProxyEvent =>
  proxyEvent({
    method: ROUTE.method,
    resource: ROUTE.path,
    pathParameters: null,
    headers: {
      'Content-Type': 'application/json',
      'X-Forwarded-For': '203.0.113.10',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    },
    authorizer: toAuthorizerContext({ kind: 'app', app_id: 'app_test' }),
    apiKeyId: 'k3y1d0000',
    body: JSON.stringify(body),
  });

const sizeOf = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);

let synth: SynthesizedApp;
let root: string;
let table: string;
let headCoachId: string;

/** The asset directory CDK staged for a function or layer: `<outdir>/asset.<hash>`, named by the template's S3Key. */
function assetDirOf(logicalId: string, codeProperty: 'Code' | 'Content'): string {
  const resource = (synth.template.toJSON().Resources as Record<string, { Properties: Record<string, { S3Key: string }> }>)[logicalId]!;
  const hash = resource.Properties[codeProperty]!.S3Key.replace(/\.zip$/, '');
  return join(synth.outdir, `asset.${hash}`);
}

function invoke(event: APIGatewayProxyEvent, mode: 'layers' | 'no-layers') {
  const eventFile = join(root, 'event.json');
  const resultFile = join(root, `result-${mode}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const child = spawnSync(process.execPath, [join(root, 'invoke.mjs'), eventFile, resultFile, mode], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LAMBDA_ROOT: root, [ENV.tableName]: table, [ENV.dynamoDbEndpoint]: testDynamoDbEndpoint() },
  });
  return {
    status: child.status,
    stderr: child.stderr,
    result:
      child.status === 0
        ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { statusCode: number; headers: Record<string, string>; body: string })
        : undefined,
  };
}

/** organizations-create as deployed (function asset + layer asset), from the shared synth's assembly. */
export function artifactSuite(): void {
  beforeAll(async () => {
    synth = sharedAssembly();
    const fn = synth.stack.node.findChild('Routes').node.findChild(constructIdFor(ROUTE.name)) as ApiFunction;
    const logicalId = (c: CfnElement) => synth.stack.resolve(c.logicalId) as string;
    const functionAsset = assetDirOf(logicalId(fn.function.node.defaultChild as CfnElement), 'Code');
    const layerAsset = assetDirOf(logicalId(synth.stack.layer.node.defaultChild as CfnElement), 'Content');

    // Outside the repository, so nothing can be found in its node_modules by accident.
    root = mkdtempSync(join(tmpdir(), 'astral-lambda-'));
    mkdirSync(join(root, 'var', 'task'), { recursive: true });
    mkdirSync(join(root, 'opt'), { recursive: true });
    cpSync(functionAsset, join(root, 'var', 'task'), { recursive: true });
    cpSync(layerAsset, join(root, 'opt'), { recursive: true });
    writeFileSync(join(root, 'layer-resolve-hook.mjs'), LAYER_RESOLVE_HOOK);
    writeFileSync(join(root, 'invoke.mjs'), INVOKE);

    table = await createTestTable('infra-artifact');
    headCoachId = newUserId();
    await new UserRepository(testDocumentClient(), table).create({ user_id: headCoachId, display_name: 'Coach Artifact' }, 'app_test');
  });

  afterAll(() => {
    // The assembly is the shared one: tests/infra/assembly.test.ts removes it.
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('answers POST /api/v1/organizations with 201 and the documented body', async () => {
    const { status, stderr, result } = invoke(
      appEvent({ name: 'Summit Running Club', description: 'Elite distance running program', head_coach_user_id: headCoachId }),
      'layers',
    );
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(result!.statusCode).toBe(201);
    expect(result!.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': '5f0c7a1e-2b7d-4c55-9d1f-8f2a0e6b9a11' });
    const body = JSON.parse(result!.body) as { message: string; organization: Record<string, unknown> };
    expect(body.message).toBe('Organization created successfully');
    expect(Object.keys(body)).toEqual(['message', 'organization']);
    expect(Object.keys(body.organization)).toEqual(['org_id', 'org_name', 'description', 'head_coach_user_id', 'coaches', 'created_at']);
    expect(body.organization).toMatchObject({
      org_name: 'Summit Running Club',
      description: 'Elite distance running program',
      head_coach_user_id: headCoachId,
      coaches: [],
    });
    expect(body.organization.org_id).toMatch(/^org_[A-Za-z0-9]{20,}$/);
    expect(body.organization.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // It really wrote to DynamoDB Local, through the SDK bundled in the layer.
    const stored = await testDocumentClient().send(
      new GetCommand({ TableName: table, Key: keys.organization(body.organization.org_id as string) }),
    );
    expect(stored.Item).toMatchObject({ entity: 'organization', org_name: 'Summit Running Club', last_actor_id: 'app_test' });
  });

  it('cannot resolve @astral/lib from the function asset alone: lib is not inlined', () => {
    const { status, stderr } = invoke(appEvent({}), 'no-layers');
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(stderr).toMatch(/Cannot find package '@astral\/lib'/);
  });

  it('ships a small function asset that imports only @astral/lib entries (its own core) and Node built-ins', () => {
    const taskDir = join(root, 'var', 'task');
    expect(readdirSync(taskDir)).toEqual(['index.mjs']);
    const parsed = buildSync({
      entryPoints: [join(taskDir, 'index.mjs')],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      external: ['*'],
      logLevel: 'silent',
    });
    const imports = Object.values(parsed.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !isBuiltin(specifier) && !/^@astral\/lib\/(group\/)?[a-z-]+$/.test(specifier))).toEqual([]);
    const functionBytes = sizeOf(taskDir);
    const layerBytes = sizeOf(join(root, 'opt'));
    console.log(`organizations-create asset: ${functionBytes} bytes; lib layer: ${layerBytes} bytes`);
    expect(functionBytes).toBeLessThan(16 * 1024);
    expect(layerBytes).toBeGreaterThan(100 * 1024);
  });
}
