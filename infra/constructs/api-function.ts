import { AssetHashType, DockerImage, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { dirname, join } from 'node:path';
import { ENV } from '../../lib/config/env';
import { buildFunction } from '../function-bundle';

export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/** What a function may do to the table (the manifest's `tableAccess` minus 'none'). */
export type TableBinding = 'read' | 'readwrite';

export interface ApiFunctionProps {
  /** Handler source relative to the project root (the manifest's `entry`). */
  readonly entry: string;
  /** The one lib layer every function loads `@astral/lib/<dir>` from. */
  readonly layer: ILayerVersion;
  /** The function's group in that layer (infra/layer-bundle.ts; the stack gives each function its own): it loads the group's core at init. */
  readonly layerGroup: string;
  /** Repository root: where entries, package-lock.json and tsconfig.json live. */
  readonly projectRoot: string;
  readonly description?: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
  readonly logRetention?: RetentionDays;
  /** Concurrency set aside for this function, and its ceiling (ADR 0023); unset reserves none. */
  readonly reservedConcurrency?: number;
}

/**
 * The house Lambda function: Node.js 24 on arm64, ESM output, lib from the shared layer (never
 * inlined), its own log group with retention, and a role that holds only what `bind` grants.
 *
 * The role is ours rather than CDK's default because the default attaches the AWS managed
 * AWSLambdaBasicExecutionRole, which may write to any log group; ours may write to its own only.
 * The explicit log group also keeps CDK's LogRetention custom-resource Lambda out of the template.
 */
export class ApiFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      ...(props.description ? { description: `Execution role: ${props.description}` } : {}),
    });
    this.logGroup.grantWrite(this.role);

    const entry = join(props.projectRoot, props.entry);
    this.function = new LambdaFunction(this, 'Handler', {
      // Bundled in-process by esbuild's API (infra/function-bundle.ts), as the layer is: NodejsFunction
      // ran the esbuild CLI through npx once per function, ~0.6 s each, most of every synth.
      code: Code.fromAsset(dirname(entry), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry('scratch'),
          local: {
            tryBundle(outputDir: string): boolean {
              buildFunction(entry, outputDir, { root: props.projectRoot, group: props.layerGroup });
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      layers: [props.layer],
      // X-Ray through the runtime (ADR 0025: not Powertools' Tracer, +~50 ms of cold start): each
      // invocation's segment, init included, joined to API Gateway's by the trace id every log line carries.
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      ...(props.description ? { description: props.description } : {}),
      environment: { ...props.environment },
    });
    // The role must exist with its log permissions before the function can log its first cold start.
    this.function.node.addDependency(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Granted on "*" only: xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), which support no resource-level permission; and, for a stream consumer, dynamodb:ListStreams (the event source mapping needs it, no resource-level permission either). Every table action is limited to this table and its indexes.',
    });
  }

  /**
   * Grants exactly the access the manifest declares and tells the code where the table is.
   * A 'read' function gets no write action at all: its role cannot put, update or delete.
   */
  bind(table: Table, access: TableBinding): void {
    if (access === 'read') table.grantReadData(this.role);
    else table.grantReadWriteData(this.role);
    this.function.addEnvironment(ENV.tableName, table.tableName);

    const tableResource = table.node.defaultChild as CfnTable | undefined;
    if (tableResource) {
      const logicalId = Stack.of(table).resolve(tableResource.logicalId) as string;
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason:
          'The wildcard covers only the global secondary indexes of this one table (TABLE_DESIGN.indexes); ' +
          'queries on an index need index ARNs, and the actions are already limited to the read or read/write set this function declares in the manifest.',
      });
    }
  }
}
