import type { AttributeValue as SdkAttributeValue, _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, AttributeValue>;

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Lambda's event is JSON: binary values arrive base64-encoded, where the SDK hands us bytes. */
function toLambdaValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new Error('unknown attribute value type in stream record');
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Image {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

/** The region segment of an ARN (DynamoDB Local's streams report their own, e.g. `ddblocal`). */
export const regionOf = (arn: string): string => arn.split(':')[3] ?? 'local';

/** A GetRecords record in the exact shape Lambda's event source mapping delivers. */
export function toLambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const source = record.dynamodb ?? {};
  const created = source.ApproximateCreationDateTime;
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: regionOf(streamArn),
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(source.Keys ? { Keys: toLambdaImage(source.Keys) } : {}),
      ...(source.NewImage ? { NewImage: toLambdaImage(source.NewImage) } : {}),
      ...(source.OldImage ? { OldImage: toLambdaImage(source.OldImage) } : {}),
      SequenceNumber: source.SequenceNumber,
      SizeBytes: source.SizeBytes,
      StreamViewType: source.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
  // Present only for TTL deletions ("Service" / dynamodb.amazonaws.com), as in Lambda.
  if (record.userIdentity) out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}

/** A record's place in its shard: what checkpoints store and partial batch responses name. */
export const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';
