/**
 * A stored item without its bookkeeping attributes (keys, index keys, entity, actor…): what a
 * repository hands out as a domain object. `keep` can drop further attributes (e.g. counters).
 *
 * The one place an untyped item becomes a domain type: a repository reads back only items it wrote
 * itself from input validated at the edge, so the shape is trusted here rather than re-validated on
 * every read (which would cost each request a schema walk per item).
 */
export function withoutBookkeeping<T extends object>(
  item: Readonly<Record<string, unknown>>,
  bookkeeping: ReadonlySet<string>,
  keep: (key: string) => boolean = () => true,
): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!bookkeeping.has(key) && keep(key)) out[key] = value;
  return out as T;
}

/**
 * The strings of a stored string set (`member_ids`, `group_ids`): the document client unmarshalls a
 * set to a `Set`, an item written as JSON may hold an array, and DynamoDB has no empty sets, so an
 * absent attribute is the empty set.
 */
export function stringsOf(raw: unknown): string[] {
  if (!(raw instanceof Set) && !Array.isArray(raw)) return [];
  return [...(raw as Iterable<unknown>)].filter((value): value is string => typeof value === 'string');
}
