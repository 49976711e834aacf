import { InvalidPageTokenError } from '../errors';

/**
 * Where a list Query resumes, checked against the key range that Query reads. A page token is sealed
 * and bound to its query (lib/http/page-token.ts), so only our own `LastEvaluatedKey`s reach here;
 * this check is the second wall, kept where the key layout is known: a start key outside the range
 * (another partition, another item type, other attributes) is the list's 400 naming `next_token`,
 * never a page of something else nor a DynamoDB error.
 */
export interface KeyRange {
  /** Attributes that must equal these values (the partition keys the Query names). */
  readonly equals: Readonly<Record<string, string>>;
  /** Attributes whose values must begin with these prefixes (the sort-key range). */
  readonly prefixes?: Readonly<Record<string, string>>;
  /** The exact attribute set of the Query's `LastEvaluatedKey` (table keys, plus index keys on an index). */
  readonly attributes: readonly string[];
}

export function startKeyWithin(startKey: Record<string, unknown> | undefined, range: KeyRange): Record<string, unknown> | undefined {
  if (startKey === undefined) return undefined;
  const names = Object.keys(startKey);
  const shaped = names.length === range.attributes.length && range.attributes.every((name) => typeof startKey[name] === 'string');
  const inRange =
    shaped &&
    Object.entries(range.equals).every(([name, value]) => startKey[name] === value) &&
    Object.entries(range.prefixes ?? {}).every(([name, prefix]) => String(startKey[name]).startsWith(prefix));
  if (!inRange) throw new InvalidPageTokenError();
  return startKey;
}

/** The Query's `ExclusiveStartKey` field, when there is a (checked) start key. */
export function startFrom(startKey: Record<string, unknown> | undefined, range: KeyRange): { ExclusiveStartKey?: Record<string, unknown> } {
  const checked = startKeyWithin(startKey, range);
  return checked ? { ExclusiveStartKey: checked } : {};
}
