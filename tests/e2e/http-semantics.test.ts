import { allowHeader } from '@astral/lib/config';
import { ROUTES } from '../../functions/manifest';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * What the API answers before any endpoint runs, over HTTP on the local stack with the real manifest
 * (api.md "Conventions"): a known path with a method it does not have is a 405 naming the methods it
 * has; an unknown path is a 404. Both in our error shape.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const METHOD_NOT_ALLOWED = { message: 'method not allowed', code: 'method_not_allowed' };

describe('405 method not allowed', () => {
  it('DELETE /api/v1/organizations is 405 with Allow: POST, without credentials and before the authorizer', async () => {
    const response = await stack.http.delete('/api/v1/organizations');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.body).toEqual(METHOD_NOT_ALLOWED);
    // Credentials change nothing: there is no method to authorize.
    const withBadKey = await stack.http.delete('/api/v1/organizations', { headers: { 'X-API-Key': 'not-a-key' } });
    expect([withBadKey.status, withBadKey.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('a resource with two methods names both, in a stable order: PATCH /api/v1/organizations/{org_id} → Allow: GET, PUT', async () => {
    const response = await stack.http.request('PATCH', '/api/v1/organizations/org_x1');
    expect([response.status, response.headers.get('allow'), response.body]).toEqual([405, 'GET, PUT', METHOD_NOT_ALLOWED]);
  });

  it('every resource of the manifest answers a method it lacks with 405 and exactly its methods in Allow', async () => {
    const methodsByPath = new Map<string, string[]>();
    for (const route of ROUTES) methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    for (const [path, methods] of methodsByPath) {
      const missing = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].find((method) => !methods.includes(method)) ?? 'PATCH';
      const response = await stack.http.request(missing, path.replace(/\{[^}]+\}/g, 'x1'));
      expect({ path, missing, status: response.status, allow: response.headers.get('allow') }).toEqual({
        path,
        missing,
        status: 405,
        allow: allowHeader(methods),
      });
    }
  });
});

describe('404 not found', () => {
  it.each([
    ['an unknown path', '/api/v1/no-such-thing'],
    ['a prefix of routes that is no resource itself', '/api/v1'],
    ['a path one segment too deep', '/api/v1/organizations/org_x1/members/usr_x1/extra'],
  ])('%s is 404 in our error shape, whatever the method', async (_name, path) => {
    for (const method of ['GET', 'DELETE']) {
      const response = await stack.http.request(method, path);
      expect([method, response.status, response.body]).toEqual([method, 404, { message: 'not found', code: 'not_found' }]);
      expect(response.headers.get('allow')).toBeNull();
    }
  });
});
