import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS } from '../functions/manifest';
import type { FilterPattern } from './event-filter';
import { entryExists, loadHandler } from './handler-loader';
import { lambdaContext } from './lambda-context';
import { STACK_STREAM_FILTERS } from './stream-filters';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

/** A consumer from the manifest (`entry`, imported lazily) or, in tests, a function. */
export interface StreamConsumer {
  readonly name: string;
  readonly entry?: string;
  readonly handler?: StreamHandler;
  /** The event source mapping's filter criteria; none delivers every record. */
  readonly filters?: readonly FilterPattern[];
}

type InvokedStreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

/** The manifest's consumers with the filters the stack gives their event source mappings. */
export const stackConsumers = (): StreamConsumer[] =>
  STREAM_CONSUMERS.map((consumer) => ({ ...consumer, filters: STACK_STREAM_FILTERS[consumer.name] ?? [] }));

/** The consumers there is something to invoke for; the others are named in the log and left out. */
export function pollableConsumers(
  configured: readonly StreamConsumer[],
  rootDir: string | undefined,
  log: (line: string) => void,
): StreamConsumer[] {
  return configured.filter((consumer) => {
    if (consumer.handler || (consumer.entry && entryExists(consumer.entry, rootDir))) return true;
    log(`stream: ${consumer.name} has no handler at ${consumer.entry ?? '(none)'}; not polling for it`);
    return false;
  });
}

/** One invocation of the consumer's function with a batch, as Lambda's event source mapping makes it. */
export async function invokeConsumer(
  consumer: StreamConsumer,
  records: DynamoDBRecord[],
  rootDir: string | undefined,
): Promise<DynamoDBBatchResponse | void> {
  const handler: InvokedStreamHandler =
    consumer.handler ?? ((await loadHandler(consumer.entry as string, rootDir)) as InvokedStreamHandler);
  return handler({ Records: records }, lambdaContext(consumer.name, 60_000));
}
