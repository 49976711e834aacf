import type { FilterPattern } from './event-filter';

/**
 * The event source mapping filters the stack deploys, per stream consumer, as plain patterns: the
 * stack builds them with CDK (infra/constructs/stream-consumer.ts), which npm start should not load.
 * tests/integration/stream-poller.test.ts compares the two, so they cannot drift apart unnoticed.
 */
export const STACK_STREAM_FILTERS: Readonly<Record<string, readonly FilterPattern[]>> = {
  'audit-log': [
    {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: {
        NewImage: {
          entity: { S: [{ 'anything-but': ['audit_event'] }] },
          org_id: { S: [{ exists: true }] },
        },
      },
    },
  ],
};
