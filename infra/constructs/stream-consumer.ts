import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ApiFunction, type ApiFunctionProps, type TableBinding } from './api-function';

/**
 * The `entity` the audit writer gives its own items (lib/audit/audit-log-repository.ts). Their sort
 * keys begin with AUDIT_SORT_KEY_PREFIX, but Lambda event filtering has no negated prefix
 * (`anything-but` + `prefix` is EventBridge-only, not supported for event source mappings), so the
 * filter excludes them by this attribute instead. tests/infra/audit-stream-filter.test.ts runs the filter on
 * real stream records of the item the writer produces, so a rename there fails the test rather than loops the stream.
 */
export const AUDIT_EVENT_ENTITY = 'audit_event';

/**
 * Only records the audit consumer can turn into events reach it: inserts and updates (a bare REMOVE
 * is a TTL expiry and means nothing to it) of items that belong to an organization, except the audit
 * events themselves, which would otherwise feed the consumer its own writes.
 */
export const AUDIT_STREAM_FILTER = FilterCriteria.filter({
  eventName: FilterRule.or('INSERT', 'MODIFY'),
  dynamodb: {
    NewImage: {
      entity: { S: FilterRule.notEquals(AUDIT_EVENT_ENTITY) },
      org_id: { S: FilterRule.exists() },
    },
  },
});

export interface StreamConsumerProps extends ApiFunctionProps {
  readonly table: ITable;
  readonly tableAccess: TableBinding;
}

/**
 * A consumer of the table's change stream: one house function plus an event source mapping that
 * cannot stall its shard. Stream defaults are unbounded (retry until the record expires, 24 h), so
 * one poisoned record would hold every later change to the items on its shard for a day; here a
 * failing batch is split to isolate the record, retried a bounded number of times, and then handed
 * to the failure queue while the shard moves on.
 */
export class StreamConsumer extends Construct {
  readonly handler: ApiFunction;
  /** On-failure destination: receives the shard/sequence range of records that still fail. */
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    this.handler = new ApiFunction(this, 'Function', { timeout: Duration.seconds(30), ...props });
    this.handler.bind(props.table, props.tableAccess);

    this.failureQueue = new Queue(this, 'FailedRecords', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The message only points at the stream records, which the stream keeps for 24 h: an operator
      // has that long to read them, the pointer itself is kept for the queue's maximum.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the audit stream's event source mapping (records that still fail after bisecting and bounded retries); a DLQ behind a DLQ would only move the same pointers again.",
    });

    this.handler.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.failureQueue),
        filters: [AUDIT_STREAM_FILTER],
      }),
    );
    Validations.of(this.handler.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only dynamodb:ListStreams is granted on "*": the event source mapping needs it and the action supports no resource-level permission; the stream read actions (DescribeStream, GetRecords, GetShardIterator) are limited to this table\'s stream ARN.',
    });
  }
}
