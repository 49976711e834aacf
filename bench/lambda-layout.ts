import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AUTHORIZER, ROUTES, STREAM_CONSUMERS, type FunctionDefinition, type RouteDefinition } from '../functions/manifest';
import { AstralStack, constructIdFor, layerGroupOf, type FunctionKind } from '../infra/astral-stack';
import type { ApiFunction } from '../infra/constructs/api-function';
import type { StreamConsumer } from '../infra/constructs/stream-consumer';
import { buildLayer } from '../infra/layer-bundle';

/**
 * The deployable artifacts, laid out as Lambda does: a function asset unpacked as `/var/task`, the
 * layer asset as `/opt`, both under a private root that stands in for `/`. Shared by the benchmark
 * (cold starts, warm cost) and by tests/infra/assembly/budget-artifacts.ts (sizes, what each function loads).
 */

export type { FunctionKind };

export interface FunctionArtifact {
  readonly name: string;
  readonly kind: FunctionKind;
  /** The manifest route, for route functions. */
  readonly route?: RouteDefinition;
  /** The staged CDK asset directory (what is zipped and uploaded). */
  readonly assetDir: string;
  /** Configured memory (MB), from the synthesized template. */
  readonly memoryMb: number;
  /** Its group in the lib layer: it imports `@astral/lib/group/<layerGroup>` (docs/adr/0015-layer-layout.md). */
  readonly layerGroup: string;
}

export interface Artifacts {
  /** The cloud assembly; remove with `dispose`. */
  readonly outdir: string;
  readonly layerDir: string;
  /** Every function of the stack: routes in manifest order, then the authorizer, then stream consumers. */
  readonly functions: readonly FunctionArtifact[];
  dispose(): void;
}

/** Token settings for synth only: nothing here is ever called. */
const BENCH_TOKENS = {
  issuer: 'https://issuer.bench/',
  audience: 'astral-api-bench',
  jwksUrl: 'https://issuer.bench/.well-known/jwks.json',
  adminClaim: 'astral_admin',
};

function assetDirOf(stack: Stack, outdir: string, element: CfnElement, codeProperty: 'Code' | 'Content'): string {
  const logicalId = stack.resolve(element.logicalId) as string;
  const template = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as {
    Resources: Record<string, { Properties: Record<string, { S3Key?: string } | number | undefined> }>;
  };
  const code = template.Resources[logicalId]?.Properties[codeProperty] as { S3Key?: string } | undefined;
  if (!code?.S3Key) throw new Error(`no asset for ${logicalId}`);
  return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

function memoryOf(fn: ApiFunction): number {
  const memory = Stack.of(fn).resolve((fn.function.node.defaultChild as CfnFunction).memorySize) as number | undefined;
  return memory ?? 128;
}

/** Synthesizes the real stack (the one infra/app.ts deploys) into a temp assembly and finds every asset. */
export function synthesizeArtifacts(projectRoot: string = process.cwd()): Artifacts {
  const outdir = mkdtempSync(join(tmpdir(), 'astral-bench-cdk-'));
  const app = new App({ outdir });
  const stack = new AstralStack(app, 'Astral', { tokens: BENCH_TOKENS, projectRoot });
  app.synth();
  return artifactsOf({ stack, outdir }, () => rmSync(outdir, { recursive: true, force: true }));
}

/**
 * Finds every asset in an assembly already synthesized from an AstralStack (tests/infra share one
 * synth rather than paying for another). `dispose` is the caller's: by default the assembly is left
 * to whoever made it.
 */
export function artifactsOf(
  synthesized: { readonly stack: AstralStack; readonly outdir: string },
  dispose: () => void = () => {},
): Artifacts {
  const { stack, outdir } = synthesized;
  const describe = (definition: FunctionDefinition, kind: FunctionKind, fn: ApiFunction, route?: RouteDefinition): FunctionArtifact => ({
    name: definition.name,
    kind,
    layerGroup: layerGroupOf(definition),
    ...(route ? { route } : {}),
    assetDir: assetDirOf(stack, outdir, fn.function.node.defaultChild as CfnElement, 'Code'),
    memoryMb: memoryOf(fn),
  });
  const routes = stack.node.findChild('Routes');
  const functions: FunctionArtifact[] = [
    ...ROUTES.map((route) => describe(route, 'route', routes.node.findChild(constructIdFor(route.name)) as ApiFunction, route)),
    describe(AUTHORIZER, 'authorizer', stack.node.findChild(constructIdFor(AUTHORIZER.name)) as ApiFunction),
    ...STREAM_CONSUMERS.map((consumer) =>
      describe(consumer, 'stream', (stack.node.findChild(constructIdFor(consumer.name)) as StreamConsumer).handler),
    ),
  ];
  return {
    outdir,
    layerDir: assetDirOf(stack, outdir, stack.layer.node.defaultChild as CfnElement, 'Content'),
    functions,
    dispose,
  };
}

/** Total bytes of the files under a directory (the unzipped size Lambda counts). */
export function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** Where the child scripts live; they are plain ESM so the child runs no TypeScript loader. */
export const CHILD_SCRIPTS_DIR = resolve(process.cwd(), 'bench', 'lambda');

export interface LambdaRoot {
  /** Stands in for `/`: `<root>/var/task` and `<root>/opt`. */
  readonly root: string;
  readonly taskDir: string;
  readonly optDir: string;
  dispose(): void;
}

/**
 * Copies a function asset and a layer into a fresh root outside the repository (so nothing resolves
 * from the repository's node_modules by accident), with the child scripts beside them.
 */
export function layOut(functionAssetDir: string, layerDir: string, parent: string = tmpdir()): LambdaRoot {
  const root = mkdtempSync(join(parent, 'astral-lambda-'));
  const taskDir = join(root, 'var', 'task');
  const optDir = join(root, 'opt');
  mkdirSync(taskDir, { recursive: true });
  mkdirSync(optDir, { recursive: true });
  cpSync(functionAssetDir, taskDir, { recursive: true });
  cpSync(layerDir, optDir, { recursive: true });
  for (const script of readdirSync(CHILD_SCRIPTS_DIR)) cpSync(join(CHILD_SCRIPTS_DIR, script), join(root, script));
  return { root, taskDir, optDir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** A floor artifact: a layer built by the lib layer's own `buildLayer` (the same esbuild options) and a function. */
export interface FloorArtifact {
  readonly assetDir: string;
  readonly layerDir: string;
  dispose(): void;
}

function buildFloor(parent: string, layerRoot: string, handlerSource: string): FloorArtifact {
  const dir = mkdtempSync(join(parent, 'astral-floor-'));
  const layerDir = join(dir, 'layer');
  const assetDir = join(dir, 'asset');
  buildLayer(layerDir, { root: resolve(process.cwd(), 'bench', layerRoot) });
  mkdirSync(assetDir, { recursive: true });
  writeFileSync(join(assetDir, 'index.mjs'), handlerSource);
  return { assetDir, layerDir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The floor artifact: a layer holding only the bundled DynamoDB document client, built from
 * bench/floor, and a function that imports it and creates the client at module scope, as every
 * table-backed handler does.
 */
export function buildFloorArtifact(parent: string = tmpdir()): FloorArtifact {
  return buildFloor(
    parent,
    'floor',
    "import{DynamoDBClient as o,DynamoDBDocumentClient as n}from'@astral/lib/floor';const t=n.from(new o({}));export const handler=async()=>({statusCode:200,body:String(typeof t.send)});\n",
  );
}

/** The platform floor's name among the cold-start targets. */
export const PLATFORM_FLOOR = 'platform-floor';

/**
 * The platform floor: the floor plus what every HTTP function loads by the stack's fixed choices
 * (middy, zod/mini, Powertools' Logger and Metrics: bench/floor-platform), created at module scope as
 * a route does (client, logger, metrics, one schema, the middy handler), and none of our code.
 */
export function buildPlatformFloorArtifact(parent: string = tmpdir()): FloorArtifact {
  return buildFloor(
    parent,
    'floor-platform',
    "import{DynamoDBClient as o,DynamoDBDocumentClient as n,Logger as g,Metrics as r,middy as y,object as b,safeParse as p,string as s}from'@astral/lib/platform';const t=n.from(new o({})),l=new g({serviceName:'astral'}),m=new r({namespace:'astral',serviceName:'astral'}),v=b({name:s()});export const handler=y(async(e)=>({statusCode:200,body:String(p(v,e).success&&typeof t.send&&typeof l.info&&typeof m.addMetric)}));\n",
  );
}

/**
 * The environment Lambda gives a function, as far as the code can tell: region and (fake) role
 * credentials for the SDK's default chain, the runtime's variables, and the stack's own settings.
 * Nothing else from this process leaks in (no NODE_OPTIONS, no tsx loader).
 */
export function lambdaEnvironment(
  root: LambdaRoot,
  fn: { name: string; memoryMb: number },
  stackEnvironment: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    LAMBDA_ROOT: root.root,
    LAMBDA_TASK_ROOT: root.taskDir,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench/bench/bench/bench/bench/bench/bench0',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: `astral-${fn.name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    TZ: ':UTC',
    ...stackEnvironment,
  };
}
