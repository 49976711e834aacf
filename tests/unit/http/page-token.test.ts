import type { APIGatewayProxyResult } from 'aws-lambda';
import { createPageTokens, defineContract, httpHandler, ok, pageQueryFields, queryFingerprint, ValidationError, z } from '@astral/lib/http';
import { lambdaContext } from '../../../local/lambda-context';
import { proxyEvent, TEST_CONTRACT } from '../../support/proxy-event';
import { quietInfoLogs } from '../../support/log-capture';

/**
 * List tokens (lib/http/page-token.ts, api.md "Lists", ADR 0010): sealed (AES-256-GCM), revealing no
 * key, bound to the query that produced them; anything else handed back as `next_token` is the
 * documented 400 naming next_token.
 */
const tokens = createPageTokens({ current: 'unit-test-secret' });
const encodePageToken = tokens.encode;
const decodePageToken = tokens.decode;
const MEMBERS_OF_A = queryFingerprint({ org_id: 'org_a', status: 'active', member_level: undefined });
const LAST_KEY = { pk: 'ORG#org_a', sk: 'MEMBER#usr_0042', user_pk: 'USER#usr_0042' };

/** The documented 400: what `decodePageToken` throws for a token that is not one of this query's. */
function rejection(token: string, fingerprint = MEMBERS_OF_A): unknown {
  try {
    decodePageToken(token, fingerprint);
  } catch (error) {
    if (error instanceof ValidationError) return { status: error.status, code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected the token to be refused');
}

const REFUSED = {
  status: 400,
  code: 'validation_error',
  message: 'invalid next_token',
  details: [{ path: 'next_token', message: 'not a token for this query' }],
};

const encodeJson = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('round trip', () => {
  it('decodes to the exact last key it was made from, for the same query', () => {
    const token = encodePageToken(LAST_KEY, MEMBERS_OF_A);
    expect(token).toEqual(expect.any(String));
    expect(decodePageToken(token, MEMBERS_OF_A)).toEqual(LAST_KEY);
  });

  it('is URL-safe text (base64url), so it travels in a query string as it is', () => {
    const token = encodePageToken({ pk: 'ORG#org_a', sk: 'FEED#2026-03-18T12:00:00Z#act_??>>//++' }, MEMBERS_OF_A) ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, MEMBERS_OF_A)).toEqual({ pk: 'ORG#org_a', sk: 'FEED#2026-03-18T12:00:00Z#act_??>>//++' });
  });

  it('reveals nothing of the key: neither key names nor values nor prefixes', () => {
    const token = encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '';
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const leak of ['ORG#', 'USER#', 'MEMBER#', 'org_a', 'usr_0042', '"pk"', 'pk', '"k"', MEMBERS_OF_A])
      expect(decoded).not.toContain(leak);
  });

  it('is a fresh token every time (random IV), each opening to the same key', () => {
    const [a, b] = [encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '', encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? ''];
    expect(a).not.toBe(b);
    expect(decodePageToken(a, MEMBERS_OF_A)).toEqual(decodePageToken(b, MEMBERS_OF_A));
  });

  it('has no token for the last page, and no position for a first request', () => {
    expect(encodePageToken(undefined, MEMBERS_OF_A)).toBeUndefined();
    expect(decodePageToken(undefined, MEMBERS_OF_A)).toBeUndefined();
  });
});

describe('bound to its query', () => {
  it('fingerprints the query, not the order its parameters came in', () => {
    expect(queryFingerprint({ status: 'active', org_id: 'org_a', member_level: undefined })).toBe(MEMBERS_OF_A);
    expect(MEMBERS_OF_A).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it.each<[string, Record<string, string | undefined>]>([
    ['another organization', { org_id: 'org_b', status: 'active', member_level: undefined }],
    ['another filter value', { org_id: 'org_a', status: 'inactive', member_level: undefined }],
    ['one more filter', { org_id: 'org_a', status: 'active', member_level: 'elite' }],
    ['one filter fewer', { org_id: 'org_a', status: 'active' }],
  ])('is the documented 400 when replayed on %s', (_case, otherQuery) => {
    const token = encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '';
    const other = queryFingerprint(otherQuery);
    expect(other).not.toBe(MEMBERS_OF_A);
    expect(rejection(token, other)).toEqual(REFUSED);
  });
});

describe('key rotation', () => {
  const rotated = createPageTokens({ current: 'the next secret', previous: 'unit-test-secret' });

  it('opens tokens sealed with the previous secret, and seals new ones with the current', () => {
    const old = encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '';
    expect(rotated.decode(old, MEMBERS_OF_A)).toEqual(LAST_KEY);
    const fresh = rotated.encode(LAST_KEY, MEMBERS_OF_A) ?? '';
    expect(rejection(fresh)).toEqual(REFUSED);
  });

  it('refuses tokens of a secret that is neither current nor previous', () => {
    const stranger = createPageTokens({ current: 'someone else' }).encode(LAST_KEY, MEMBERS_OF_A) ?? '';
    expect(rejection(stranger)).toEqual(REFUSED);
  });
});

/** Every single-character change of a token: one flipped character is never accepted. */
function flips(token: string): string[] {
  // 'B' and 'C' differ from 'A' only in the low bits, which the last character may not fully use.
  return [...token].map((char, i) => `${token.slice(0, i)}${char === 'B' ? 'C' : 'B'}${token.slice(i + 1)}`);
}

describe('tampered or garbage tokens are the documented 400', () => {
  const good = (): string => encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '';

  it('refuses the token with any one character changed', () => {
    const changed = flips(good());
    for (const token of changed) expect(rejection(token)).toEqual(REFUSED);
  });

  it.each<[string, () => string]>([
    ['truncated', () => good().slice(0, -6)],
    ['with text appended', () => `${good()}AAAA`],
    ['forged in the old format, with the right fingerprint', () => encodeJson({ k: LAST_KEY, q: MEMBERS_OF_A })],
    ['with its fingerprint changed', () => encodeJson({ k: LAST_KEY, q: `${MEMBERS_OF_A.slice(0, -1)}x` })],
    ['without a fingerprint', () => encodeJson({ k: LAST_KEY })],
    ['without a key', () => encodeJson({ q: MEMBERS_OF_A })],
    ['with a key that is an array', () => encodeJson({ k: ['ORG#org_a'], q: MEMBERS_OF_A })],
    ['with a key holding a number (not a key we write)', () => encodeJson({ k: { pk: 'ORG#org_a', sk: 7 }, q: MEMBERS_OF_A })],
    ['with a key holding an object', () => encodeJson({ k: { pk: { S: 'ORG#org_a' } }, q: MEMBERS_OF_A })],
    ['JSON that is not an object', () => encodeJson('ORG#org_a')],
    ['JSON null', () => encodeJson(null)],
    ['not base64 JSON at all', () => 'not-a-token'],
    ['empty', () => ''],
    ['non-base64 characters', () => `${good().slice(0, 10)}%$+/=${good().slice(15)}`],
    ['very long', () => 'A'.repeat(100_000)],
    ['only its header', () => good().slice(0, 23)],
  ])('%s', (_case, token) => {
    expect(rejection(token())).toEqual(REFUSED);
  });
});

describe('through the HTTP pipeline', () => {
  const endpoint = defineContract({ ...TEST_CONTRACT, name: 'list-test', credentials: [], query: z.strictObject({ ...pageQueryFields }) });
  const handler = httpHandler(endpoint, async ({ query }) =>
    ok({ after: decodePageToken(query.next_token, MEMBERS_OF_A) ?? null, limit: query.limit }),
  );

  async function list(query: Record<string, string>): Promise<{ statusCode: number; body: unknown }> {
    const event = proxyEvent({ method: 'GET', resource: '/api/v1/list', pathParameters: null, query, authorizer: null });
    const result = (await handler(event, lambdaContext('list-test', 25_000))) as APIGatewayProxyResult;
    return { statusCode: result.statusCode, body: JSON.parse(result.body) as unknown };
  }

  quietInfoLogs();

  it('resumes after the key a token of this query carries', async () => {
    expect(await list({ next_token: encodePageToken(LAST_KEY, MEMBERS_OF_A) ?? '', limit: '2' })).toEqual({
      statusCode: 200,
      body: { after: LAST_KEY, limit: 2 },
    });
  });

  it('answers a foreign or garbage token with 400 naming next_token, and the error body clients parse', async () => {
    const foreign = encodePageToken(LAST_KEY, queryFingerprint({ org_id: 'org_b' })) ?? '';
    for (const token of [foreign, 'garbage']) {
      expect(await list({ next_token: token })).toEqual({
        statusCode: 400,
        body: {
          message: 'invalid next_token',
          code: 'validation_error',
          details: [{ path: 'next_token', message: 'not a token for this query' }],
        },
      });
    }
  });
});
