import { bearer } from '../support/http';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Subjects as identity providers issue them (ADR 0021): `auth0|…` in a token, and the same id
 * percent-encoded in a path (API Gateway REST hands path parameters over still encoded), name one user.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SUBJECT = 'auth0|64b7f0c2e1d2a3b4c5d6e7f8';

it('GET /users/auth0%7C… finds the user whose token subject is auth0|…', async () => {
  const token = await stack.token(SUBJECT, { name: 'Auth Zero' });
  const me = await stack.http.get('/api/v1/users/me', { headers: bearer(token) });
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({ user_id: SUBJECT });

  const encoded = await stack.http.get(`/api/v1/users/${encodeURIComponent(SUBJECT)}`, { headers: bearer(token) });
  expect(encoded.status).toBe(200);
  expect(encoded.body).toMatchObject({ user_id: SUBJECT });
  // The unencoded spelling (a client that does not encode `|`) is the same user.
  const plain = await stack.http.get(`/api/v1/users/${SUBJECT}`, { headers: bearer(token) });
  expect(plain.status).toBe(200);
  expect(plain.body).toMatchObject({ user_id: SUBJECT });
});

it('refuses a malformed escape and an encoded `#` with a 400 naming user_id, never a 500', async () => {
  const token = await stack.token(SUBJECT);
  for (const path of ['/api/v1/users/auth0%7', '/api/v1/users/auth0%ZZabc', '/api/v1/users/auth0%23abc']) {
    const response = await stack.http.get(path, { headers: bearer(token) });
    expect({ path, status: response.status }).toEqual({ path, status: 400 });
    expect(JSON.stringify(response.body)).toContain('user_id');
  }
});
