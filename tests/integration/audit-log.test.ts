import type { DynamoDBRecord } from 'aws-lambda';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { processStreamBatch } from '@astral/lib/audit';
import { AuditLogRepository } from '@astral/lib/repositories';
import { createTestTable, testDocumentClient } from '../support/dynamodb';
import { startTestStack } from '../support/stack';

function record(id: string, image: Record<string, unknown>): DynamoDBRecord {
  return {
    eventID: id,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }) as never,
      NewImage: marshall(image) as never,
      SequenceNumber: id.replace(/\D/g, ''),
      ApproximateCreationDateTime: 1745402400,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

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

describe('audit log writer on DynamoDB Local', () => {
  it('processing the same stream batch twice leaves one event each', async () => {
    const table = await createTestTable('audit');
    const repository = new AuditLogRepository(testDocumentClient(), table);
    const batch = [
      record('evt1', { pk: 'ORG#org_dup', sk: 'ORG', entity: 'organization', org_id: 'org_dup', org_name: 'Dup', last_actor_id: 'app_1' }),
      record('evt2', {
        pk: 'ORG#org_dup',
        sk: 'MEMBER#usr_a',
        entity: 'member',
        org_id: 'org_dup',
        user_id: 'usr_a',
        display_name: 'A',
        status: 'active',
        last_actor_id: 'usr_h',
      }),
    ];
    const write = (event: Parameters<AuditLogRepository['write']>[0]) => repository.write(event);
    expect(await processStreamBatch(batch, write)).toEqual({ batchItemFailures: [] });
    expect(await processStreamBatch(batch, write)).toEqual({ batchItemFailures: [] });
    const events = await auditEvents(table, 'org_dup');
    expect(events.map((e) => e.event_type).sort()).toEqual(['member_added', 'organization_created']);
  });

  it('creating an organization through the local stack leaves organization_created naming the app as actor', async () => {
    const stack = await startTestStack();
    try {
      const key = await stack.appKey('audit test');
      const coach = await stack.http.post<{ user: { user_id: string } }>(
        '/api/v1/users',
        { display_name: 'Coach' },
        { headers: { 'X-API-Key': key } },
      );
      const created = await stack.http.post<{ organization: { org_id: string } }>(
        '/api/v1/organizations',
        { name: 'Audit Club', head_coach_user_id: coach.body?.user.user_id },
        { headers: { 'X-API-Key': key } },
      );
      expect(created.status).toBe(201);
      const orgId = created.body?.organization.org_id ?? '';
      await stack.drainStreams();
      const events = await auditEvents(stack.tableName, orgId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        event_type: 'organization_created',
        org_id: orgId,
        target_id: orgId,
        target_name: 'Audit Club',
        actor_id: expect.stringMatching(/^app_/),
      });
      expect(stack.deadLetters).toEqual([]);
    } finally {
      await stack.stop();
    }
  });
});
