/**
 * A stored item without its bookkeeping attributes (keys, index keys, entity, actor…): what a
 * repository hands out as a domain object. `keep` can drop further attributes (e.g. counters).
 */
export function withoutBookkeeping(
  item: Readonly<Record<string, unknown>>,
  bookkeeping: ReadonlySet<string>,
  keep: (key: string) => boolean = () => true,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!bookkeeping.has(key) && keep(key)) out[key] = value;
  return out;
}
