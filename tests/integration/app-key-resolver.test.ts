import { createAppKeyResolver, generateAppKey, hashAppKey, issueAppKey } from '@astral/lib/auth';
import { AppKeyRepository, createDocumentClient } from '@astral/lib/repositories';
import { createTestTable } from '../support/dynamodb';
import { countCalls } from '../support/call-counter';

let table: string;

beforeAll(async () => {
  table = await createTestTable();
});

function setup(now = () => Date.now()) {
  const client = createDocumentClient(process.env.DYNAMODB_ENDPOINT);
  const calls = countCalls(client);
  const repository = new AppKeyRepository(client, table);
  return { calls, repository, resolve: createAppKeyResolver(repository, { ttlMs: 30_000, now }) };
}

describe('app key resolution against DynamoDB Local', () => {
  it('stores only the hash, resolves the key, and costs no DynamoDB call on a warm hit', async () => {
    const { calls, repository, resolve } = setup();
    const { key, app_id } = await issueAppKey(repository, { name: 'integration' });
    calls.reset();
    await expect(resolve(key)).resolves.toEqual({ status: 'active', principal: { kind: 'app', app_id } });
    expect(calls.total()).toBe(1);
    await expect(resolve(key)).resolves.toEqual({ status: 'active', principal: { kind: 'app', app_id } });
    expect(calls.total()).toBe(1);
    expect(await repository.findByHash(hashAppKey(key))).toMatchObject({ app_id, status: 'active' });
  });

  it('rejects unknown keys (without caching them: a key issued a moment later works at once)', async () => {
    const { repository, resolve } = setup();
    const key = generateAppKey();
    await expect(resolve(key)).resolves.toEqual({ status: 'unknown' });
    await issueAppKey(repository, { name: 'late', key });
    await expect(resolve(key)).resolves.toMatchObject({ status: 'active', principal: { kind: 'app' } });
  });

  it('rejects malformed keys without any DynamoDB call', async () => {
    const { calls, resolve } = setup();
    for (const key of ['', 'short', `astral_${'x'.repeat(42)}!`, 'a'.repeat(500)])
      await expect(resolve(key)).resolves.toEqual({ status: 'unknown' });
    expect(calls.total()).toBe(0);
  });

  it('tells a revoked key from an unknown one, and stops accepting a key revoked while cached once its entry expires', async () => {
    let clock = 1_000_000;
    const { calls, repository, resolve } = setup(() => clock);
    const key = generateAppKey();
    await repository.put(hashAppKey(key), {
      app_id: 'app_revoked1',
      name: 'revoked',
      status: 'revoked',
      created_at: '2026-01-01T00:00:00Z',
    });
    await expect(resolve(key)).resolves.toEqual({ status: 'revoked' });
    const active = generateAppKey();
    await issueAppKey(repository, { name: 'to revoke', key: active });
    await expect(resolve(active)).resolves.toMatchObject({ status: 'active' });
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await createDocumentClient(process.env.DYNAMODB_ENDPOINT).send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `APPKEY#${hashAppKey(active)}`, sk: 'APPKEY' },
        UpdateExpression: 'SET #s = :r',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'revoked' },
      }),
    );
    // Within the TTL the warm entry still answers, without a read...
    calls.reset();
    clock += 29_000;
    await expect(resolve(active)).resolves.toMatchObject({ status: 'active' });
    expect(calls.total()).toBe(0);
    // ...after it, the revocation holds, and is not cached: each refusal reads the record again.
    clock += 2_000;
    await expect(resolve(active)).resolves.toEqual({ status: 'revoked' });
    await expect(resolve(active)).resolves.toEqual({ status: 'revoked' });
    expect(calls.total()).toBe(2);
  });
});
