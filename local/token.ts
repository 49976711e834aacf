// npm run -s token -- <user_id> [--admin] [--name "Display Name"]: prints only a bearer token that
// the local stack accepts (signed with the key whose JWKS `npm start` serves).
import { USER_ID_PATTERN } from '../lib/ids';
import { fail, parseArgs } from './cli-args';
import { loadOrCreateSigningKey, signLocalToken } from './signing-key';

const USAGE = 'usage: npm run -s token -- <user_id> [--admin] [--name "Display Name"]';

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2), ['name']);
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const [userId, ...extra] = args.positionals;
  const unknown = [...args.flags].filter((flag) => flag !== 'admin');
  if (!userId || extra.length > 0 || unknown.length > 0) fail(USAGE, 2);
  if (!USER_ID_PATTERN.test(userId)) fail(`not a valid user id: ${userId}`, 2);
  const name = args.values.get('name');
  const token = await signLocalToken(await loadOrCreateSigningKey(), userId, {
    admin: args.flags.has('admin'),
    ...(name !== undefined ? { name } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => fail(`token: ${error instanceof Error ? error.message : String(error)}`));
