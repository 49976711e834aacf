import { DynamoDBStreamsClient, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { AUDIT_STREAM_FILTER } from '../../infra/constructs/stream-consumer';
import { auditEventsFromRecord } from '../../lib/audit';
import { AuditLogRepository } from '../../lib/repositories';
import { AUDIT_SORT_KEY_PREFIX } from '../../lib/repositories/table-design';
import { keys, normalizeOrganizationName, OrganizationRepository, UserRepository } from '../../lib/repositories';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local';
import { matchesFilterPattern, type FilterPattern } from '../../local/event-filter';
import { latestStreamArn } from '../../local/table';
import { toLambdaRecord } from '../../local/stream-records';
import { createTestTable, testDocumentClient, testDynamoDbClient, testDynamoDbEndpoint } from '../support/dynamodb';

/**
 * The audit consumer's event source mapping filter, run against REAL stream records from DynamoDB
 * Local: the items our repositories write, and the item the audit writer writes for them. If the
 * writer's item shape changes (its `entity`, say), the filter would feed the consumer its own
 * writes; this test is where that shows.
 */
const pattern = JSON.parse(AUDIT_STREAM_FILTER.pattern as string) as FilterPattern;

let table: string;
let streams: DynamoDBStreamsClient;
let streamArn: string;

async function allRecords(): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of description.StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    for (let page = 0; iterator && page < 20; page += 1) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(out.Records ?? []).map((record) => toLambdaRecord(record, streamArn)));
      if ((out.Records ?? []).length === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return records;
}

const sortKeyOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.sk?.S ?? '';
const entityOf = (record: DynamoDBRecord): string | undefined => (record.dynamodb?.NewImage ?? record.dynamodb?.OldImage)?.entity?.S;
const delivered = (record: DynamoDBRecord): boolean => matchesFilterPattern(pattern, record);

let records: DynamoDBRecord[];

beforeAll(async () => {
  table = await createTestTable('infra-filter');
  streams = new DynamoDBStreamsClient({ endpoint: testDynamoDbEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  streamArn = await latestStreamArn(testDynamoDbClient(), table);

  const client = testDocumentClient();
  await new UserRepository(client, table).create(
    { user_id: 'usr_filtertestcoach0000000001', display_name: 'Coach Filter' },
    'app_filter_test',
  );
  await new OrganizationRepository(client, table).create(
    {
      org_id: 'org_filtertest000000000000001',
      org_name: 'Filter Test Club',
      head_coach_user_id: 'usr_filtertestcoach0000000001',
      settings: {},
      plan: 'standard',
    },
    'app_filter_test',
  );
  // What the consumer does with the organization's record: turn it into an audit event and write it.
  const orgRecord = (await allRecords()).find((r) => entityOf(r) === 'organization');
  const events = auditEventsFromRecord(orgRecord!);
  expect(events.map((e) => e.event_type)).toEqual(['organization_created']);
  await new AuditLogRepository(client, table).write(events[0]!);
  // A REMOVE (like a TTL expiry): the name marker of the organization.
  await client.send(new DeleteCommand({ TableName: table, Key: keys.organizationName(normalizeOrganizationName('Filter Test Club')) }));

  records = await allRecords();
});

afterAll(() => {
  streams?.destroy();
});

describe('audit stream filter (as deployed) on real stream records', () => {
  it('drops the audit writer’s own item (sort key AUDIT#…), so the consumer never reads its writes', () => {
    const auditRecords = records.filter((r) => sortKeyOf(r).startsWith(AUDIT_SORT_KEY_PREFIX));
    expect(auditRecords).toHaveLength(1);
    expect(auditRecords[0]!.eventName).toBe('INSERT');
    expect(delivered(auditRecords[0]!)).toBe(false);
  });

  it('delivers the organization insert the audit log is about', () => {
    const orgRecord = records.find((r) => entityOf(r) === 'organization' && r.eventName === 'INSERT');
    expect(orgRecord).toBeDefined();
    expect(delivered(orgRecord!)).toBe(true);
  });

  it('drops items that belong to no organization (a user profile) and removals', () => {
    const userRecord = records.find((r) => entityOf(r) === 'user');
    const removal = records.find((r) => r.eventName === 'REMOVE');
    expect(userRecord).toBeDefined();
    expect(removal).toBeDefined();
    expect(delivered(userRecord!)).toBe(false);
    expect(delivered(removal!)).toBe(false);
  });

  it('delivers every record the consumer turns into an audit event, and no audit item', () => {
    for (const record of records) {
      if (auditEventsFromRecord(record).length > 0) expect(delivered(record)).toBe(true);
      if (sortKeyOf(record).startsWith(AUDIT_SORT_KEY_PREFIX)) expect(delivered(record)).toBe(false);
    }
  });
});
