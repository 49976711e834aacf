/**
 * The platform floor's only entry: what every HTTP function must load by the stack's fixed choices,
 * and nothing of ours: the DynamoDB document client (the floor), middy (the handler pipeline), zod/mini
 * (request validation) and Powertools' Logger and Metrics (ADR 0025). bench/lambda-layout.ts builds it
 * with the lib layer's own buildLayer; the HTTP cold-start target divides by it (bench/targets.ts).
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export { Logger } from '@aws-lambda-powertools/logger';
export { Metrics } from '@aws-lambda-powertools/metrics';
export { default as middy } from '@middy/core';
export { object, safeParse, string } from 'zod/mini';
