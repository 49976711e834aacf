// npm run -s app-key -- <name> [--org-id org_…]: writes a new app key (its hash) into the running
// local stack's table and prints only the key.
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { issueAppKey } from '../lib/auth/issue-app-key';
import { LOCAL_TABLE_NAME } from '../lib/config/table';
import { createDocumentClient } from '../lib/db/client';
import { AppKeyRepository } from '../lib/repositories/app-key-repository';
import { fail, parseArgs } from './cli-args';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';

const USAGE = 'usage: npm run -s app-key -- <name> [--org-id org_…]';

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2), ['org-id']);
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const [name, ...extra] = args.positionals;
  if (!name || name.trim() === '' || extra.length > 0 || args.flags.size > 0) fail(USAGE, 2);
  const endpoint = `http://127.0.0.1:${process.env.DYNAMODB_PORT || '8000'}`;

  const probe = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await probe.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException)
      fail(`app-key: DynamoDB Local at ${endpoint} has no table ${LOCAL_TABLE_NAME}; is npm start still starting?`);
    fail(
      `app-key: the local stack is not running (nothing answers at ${endpoint}). Start it with \`npm start\` (set DYNAMODB_PORT if it uses another port).`,
    );
  } finally {
    probe.destroy();
  }

  const client = createDocumentClient(endpoint);
  const orgId = args.values.get('org-id');
  const { key } = await issueAppKey(new AppKeyRepository(client, LOCAL_TABLE_NAME), {
    name: name.trim(),
    ...(orgId ? { org_id: orgId } : {}),
  });
  client.destroy();
  process.stdout.write(`${key}\n`);
}

main().catch((error: unknown) => fail(`app-key: ${error instanceof Error ? error.message : String(error)}`));
