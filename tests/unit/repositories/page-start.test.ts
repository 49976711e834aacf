import { ValidationError } from '../../../lib/errors';
import { startKeyWithin, type KeyRange } from '../../../lib/repositories/page-start';

/**
 * The second wall behind sealed page tokens (lib/repositories/page-start.ts): a start key outside the
 * key range its Query reads is the list's 400 naming next_token, whatever produced it.
 */
const MEMBERS: KeyRange = { equals: { pk: 'ORG#org_a' }, prefixes: { sk: 'MEMBER#' }, attributes: ['pk', 'sk'] };
const AUDIT_OF_TYPE: KeyRange = {
  equals: { pk: 'ORG#org_a', type_pk: 'ORG#org_a#member_added' },
  prefixes: { sk: 'AUDIT#' },
  attributes: ['pk', 'sk', 'type_pk', 'type_sk'],
};

function refusal(startKey: Record<string, unknown>, range: KeyRange): unknown {
  try {
    startKeyWithin(startKey, range);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return 'accepted';
}

it('takes a key of the range as it is, and no start key as none', () => {
  expect(startKeyWithin({ pk: 'ORG#org_a', sk: 'MEMBER#usr_1' }, MEMBERS)).toEqual({ pk: 'ORG#org_a', sk: 'MEMBER#usr_1' });
  expect(startKeyWithin(undefined, MEMBERS)).toBeUndefined();
  const typed = { pk: 'ORG#org_a', sk: 'AUDIT#2026#1#e', type_pk: 'ORG#org_a#member_added', type_sk: '2026#1#e' };
  expect(startKeyWithin(typed, AUDIT_OF_TYPE)).toEqual(typed);
});

it.each<[string, Record<string, unknown>, KeyRange]>([
  ['another partition', { pk: 'ORG#org_b', sk: 'MEMBER#usr_1' }, MEMBERS],
  ['another item type in the partition', { pk: 'ORG#org_a', sk: 'COACH#usr_1' }, MEMBERS],
  ['a missing sort key', { pk: 'ORG#org_a' }, MEMBERS],
  ['an extra attribute', { pk: 'ORG#org_a', sk: 'MEMBER#usr_1', user_pk: 'USER#usr_1' }, MEMBERS],
  ['a value that is not a string', { pk: 'ORG#org_a', sk: 7 }, MEMBERS],
  ['index keys of another type', { pk: 'ORG#org_a', sk: 'AUDIT#x', type_pk: 'ORG#org_a#group_created', type_sk: 'x' }, AUDIT_OF_TYPE],
  ['table keys where the index needs its own', { pk: 'ORG#org_a', sk: 'AUDIT#x' }, AUDIT_OF_TYPE],
])('refuses %s with a 400 naming next_token', (_case, startKey, range) => {
  expect(refusal(startKey, range)).toEqual([{ path: 'next_token', message: 'not a token for this query' }]);
});
