import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { tableInterface } from './cdk-interfaces';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIT_STREAM_FILTER_PATTERN, type StreamFilterPattern } from '../../lib/repositories/table-design';
import { ApiFunction, type ApiFunctionProps, type TableBinding } from './api-function';

export { AUDIT_EVENT_ENTITY } from '../../lib/repositories/table-design';

/** The audit consumer's filter, built from the plain pattern the local poller also evaluates. */
export const AUDIT_STREAM_FILTER = FilterCriteria.filter(AUDIT_STREAM_FILTER_PATTERN as Record<string, unknown>);

export interface StreamConsumerProps extends ApiFunctionProps {
  readonly table: Table;
  readonly tableAccess: TableBinding;
  /** The mapping's filter patterns (lib/repositories/table-design.ts STREAM_FILTERS); a consumer without any gets every record. */
  readonly filters: readonly StreamFilterPattern[];
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
    const { filters, ...functionProps } = props;
    this.handler = new ApiFunction(this, 'Function', { timeout: Duration.seconds(30), ...functionProps });
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
        "This queue is itself the dead-letter destination of a stream consumer's event source mapping (records that still fail after bisecting and bounded retries); a DLQ behind a DLQ would only move the same pointers again.",
    });

    this.handler.function.addEventSource(
      new DynamoEventSource(tableInterface(props.table), {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.failureQueue),
        filters: filters.map((pattern) => FilterCriteria.filter(pattern as Record<string, unknown>)),
      }),
    );
    // ListStreams on "*" is acknowledged with the role's other "*" grants in ApiFunction.
  }
}
