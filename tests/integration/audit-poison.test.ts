import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { testDocumentClient } from '../support/dynamodb';
import { startTestStack } from '../support/stack';

// One test stack per file: handlers read their table name once, when first imported.
async function auditEvents(table: string, orgId: string) {
  const out = await testDocumentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':a': 'AUDIT#' },
    }),
  );
  return out.Items ?? [];
}

describe('a poison record through the local stack and the real audit consumer', () => {
  it('is retried, then dead-lettered, while the rest of its batch lands', async () => {
    const stack = await startTestStack();
    try {
      const client = testDocumentClient();
      const put = (item: Record<string, unknown>) => client.send(new PutCommand({ TableName: stack.tableName, Item: item }));
      const member = (userId: string, name: string) => ({
        pk: 'ORG#org_poison1',
        sk: `MEMBER#${userId}`,
        entity: 'member',
        org_id: 'org_poison1',
        user_id: userId,
        display_name: name,
        status: 'active',
        last_actor_id: 'usr_head1',
      });
      // An update whose before/after images make an audit event larger than DynamoDB's 400 KB item
      // limit: its write can never succeed, whatever the retries.
      await put(member('usr_a1', 'Ann'));
      await put(member('usr_poison1', 'p'.repeat(210_000)));
      await stack.drainStreams();
      await put({ ...member('usr_poison1', 'q'.repeat(210_000)) });
      await put(member('usr_b1', 'Ben'));
      await put({ ...member('usr_a1', 'Ann'), member_level: 'advanced' });
      await stack.drainStreams();

      const events = await auditEvents(stack.tableName, 'org_poison1');
      const summary = events.map((e) => `${e.event_type}:${e.target_id}`).sort();
      expect(summary).toEqual(['member_added:usr_a1', 'member_added:usr_b1', 'member_added:usr_poison1', 'member_updated:usr_a1'].sort());
      expect(stack.deadLetters).toHaveLength(1);
      expect(stack.deadLetters[0]).toMatchObject({ consumer: 'audit-log', reason: 'partial_batch_failure' });
      expect(JSON.stringify(stack.deadLetters)).not.toContain('qqqq');
    } finally {
      await stack.stop();
    }
  });
});
