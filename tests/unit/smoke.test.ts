import * as z from 'zod/mini';
import * as jose from 'jose';
import middy from '@middy/core';
import { fromAuthorizerContext, toAuthorizerContext } from '@astral/lib/auth';

test('esm deps load under jest', async () => {
  expect(z.string().parse('a')).toBe('a');
  expect(typeof jose.jwtVerify).toBe('function');
  expect(typeof middy).toBe('function');
  expect(fromAuthorizerContext(toAuthorizerContext({ kind: 'user', user_id: 'usr_a', is_admin: true }))).toEqual({
    kind: 'user',
    user_id: 'usr_a',
    is_admin: true,
  });
  expect(process.version.startsWith('v24')).toBe(true);
});
