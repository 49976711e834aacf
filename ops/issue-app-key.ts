/**
 * Ops: issue an app key for an integration into the deployed stack.
 *
 *   npm run -s issue-app-key -- --name "Acme importer" --usage-plan-id <id> --table <table> [--org-id org_…]
 *
 * The key becomes an API Gateway API key (so the usage plan meters and throttles it: the authorizer
 * hands its value back as the usage identifier) and its SHA-256 hash goes into the table (so the
 * authorizer can resolve it). Prints only the key; it is not recoverable afterwards.
 */
import { parseArgs } from 'node:util';
import { APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { generateAppKey, issueAppKey } from '../lib/auth';
import { AppKeyRepository, createDocumentClient } from '../lib/repositories';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      'usage-plan-id': { type: 'string' },
      table: { type: 'string' },
      'org-id': { type: 'string' },
    },
  });
  const name = values.name;
  const usagePlanId = values['usage-plan-id'];
  const table = values.table;
  if (!name || !usagePlanId || !table) {
    console.error('usage: issue-app-key --name <name> --usage-plan-id <id> --table <table> [--org-id <org_id>]');
    process.exit(2);
  }

  const apiGateway = new APIGatewayClient({});
  const key = generateAppKey();
  const apiKey = await apiGateway.send(
    new CreateApiKeyCommand({ name, value: key, enabled: true, description: 'Astral app key (issued by ops/issue-app-key.ts)' }),
  );
  try {
    await apiGateway.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: apiKey.id, keyType: 'API_KEY' }));
    await issueAppKey(new AppKeyRepository(createDocumentClient(undefined), table), {
      name,
      key,
      ...(values['org-id'] ? { org_id: values['org-id'] } : {}),
    });
  } catch (error) {
    // Leave nothing half-issued: a gateway key without its table record would never authorize.
    await apiGateway.send(new DeleteApiKeyCommand({ apiKey: apiKey.id }));
    throw error;
  }
  process.stdout.write(`${key}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
