/**
 * Public list prices the cost model uses: AWS us-east-1, on-demand, as listed in 2025 (DynamoDB's
 * on-demand prices are the ones after the November 2024 reduction). Change them here only; the date
 * travels with them into bench/results.json and docs/benchmarks.md.
 */
export const PRICES = {
  asOf: '2025',
  region: 'us-east-1',
  /** API Gateway REST API, first 333 million requests a month. */
  apiGatewayRestPerMillionRequests: 3.5,
  /** Lambda, arm64, per GB-second of billed duration (first tier). */
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** DynamoDB on-demand. */
  dynamoDbPerMillionWriteRequestUnits: 0.625,
  dynamoDbPerMillionReadRequestUnits: 0.125,
  /** GetRecords on a table's stream by a Lambda event source mapping is not charged. */
  dynamoDbStreamReadsByLambdaPerMillion: 0,
  /** CloudWatch Logs, standard class: ingestion per GB (storage, $0.03/GB-month, is left out: retention decides it). */
  cloudWatchLogsIngestionPerGb: 0.5,
  /** X-Ray, per million traces recorded (the stage has tracing on: infra/constructs/astral-api.ts). */
  xRayPerMillionTracesRecorded: 5,
  /** Data transfer out to the internet, first 10 TB a month, per GB. */
  dataTransferOutPerGb: 0.09,
  sources: [
    'https://aws.amazon.com/api-gateway/pricing/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/cloudwatch/pricing/',
    'https://aws.amazon.com/xray/pricing/',
    'https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer)',
  ],
} as const;

/**
 * Lambda facts the duration model needs (not prices, but published with them): billing rounds each
 * invocation up to the millisecond, and CPU is allotted in proportion to memory, one full vCPU at
 * 1,769 MB, so the same work takes 1769/memory times longer on a smaller function than on one core.
 */
export const LAMBDA_MODEL = {
  billingGranularityMs: 1,
  fullVcpuMemoryMb: 1769,
  /**
   * Lambda's own log lines per invocation in the text log format (the stack sets no JSON format):
   * `START RequestId: <uuid> Version: $LATEST` (72 bytes), `END RequestId: <uuid>` (52) and
   * `REPORT RequestId: <uuid> Duration: … Billed Duration: … Memory Size: … Max Memory Used: …` (~150).
   */
  platformLogBytesPerInvocation: 274,
  /** Each line a function writes gets `<ISO time>\t<request id>\tINFO\t` in front: 24 + 1 + 36 + 1 + 4 + 1. */
  logLinePrefixBytes: 67,
} as const;
