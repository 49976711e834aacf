import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../support/stack';

/** The contract integrations build on, served like any route: public, the committed document, as JSON. */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

it('GET /api/v1/openapi.json answers the OpenAPI 3.1 document to anyone, credentials or none', async () => {
  const committed = JSON.parse(readFileSync(join(process.cwd(), 'docs', 'openapi.json'), 'utf8')) as unknown;
  const anonymous = await stack.http.get('/api/v1/openapi.json');
  expect(anonymous.status).toBe(200);
  expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/);
  expect(anonymous.body).toEqual(committed);
  expect(anonymous.body).toMatchObject({ openapi: '3.1.0', paths: { '/openapi.json': { get: { operationId: 'openapi-get' } } } });
  const withToken = await stack.http.get('/api/v1/openapi.json', {
    headers: { Authorization: `Bearer ${await stack.token('usr_reader1')}` },
  });
  expect(withToken.body).toEqual(committed);
});
