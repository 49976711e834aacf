/**
 * The floor artifact's only entry: the DynamoDB document client and nothing else, the least any
 * table-backed handler loads. bench/lambda-layout.ts builds it with the lib layer's own buildLayer.
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
