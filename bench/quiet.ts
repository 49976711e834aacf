import type { DynamoDbLocal } from '../local/dynamodb-local';
import type { BenchStack } from './stack';

/**
 * Quiets the machine for the phases that time CPU in child processes (cold starts, warm cost, the
 * policy engine): the stream poller stops for good (nothing after the scenario needs the audit
 * consumers, and every seeded record would make work for them), and DynamoDB Local's JVM is
 * suspended, not stopped: its table lives in memory and the later phases (latency, concurrency,
 * scale) need the scenario's data. A suspended JVM takes no CPU (its JIT and GC threads included).
 */
export async function quiet(stack: BenchStack, dynamoDb: DynamoDbLocal): Promise<{ resume(): void }> {
  await stack.stopStreams();
  process.kill(dynamoDb.pid, 'SIGSTOP');
  let resumed = false;
  return {
    resume() {
      if (resumed) return;
      resumed = true;
      process.kill(dynamoDb.pid, 'SIGCONT');
    },
  };
}
