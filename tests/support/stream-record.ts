import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, unknown>;

/**
 * A DynamoDB Streams record as Lambda delivers it to a consumer (NEW_AND_OLD_IMAGES): the item's key,
 * its image before (absent on an INSERT) and after, the shard sequence number and when it was written.
 */
export function streamRecord(
  eventName: 'INSERT' | 'MODIFY',
  keyOf: Record<string, string>,
  before: Image | undefined,
  after: Image,
  sequence: string,
  writtenAt: Date,
): DynamoDBRecord {
  const wire = (item: Image) => marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return {
    eventID: `evt${sequence}`,
    eventName,
    dynamodb: {
      Keys: wire(keyOf),
      ...(before ? { OldImage: wire(before) } : {}),
      NewImage: wire(after),
      SequenceNumber: sequence,
      ApproximateCreationDateTime: writtenAt.getTime() / 1000,
    },
  };
}
