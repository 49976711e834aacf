/**
 * Positions in the engine's vocabularies (RELATIONSHIPS, CONTEXTS, PRIVACY_KEYS), which index its
 * decision cache. The hot paths name today's entries in a switch or an unrolled expression, the fastest
 * form for the JIT; `PositionIn` checks each position written there against the list at compile time,
 * and the slow paths (`positionIn`, settings.ts's `scanBits`) find any entry not named yet, so a new
 * one is indexed correctly with no other edit.
 */

/** The position of V in the tuple T as a literal type (`never` when absent): `0 satisfies PositionIn<L, 'x'>`. */
export type PositionIn<T extends readonly unknown[], V, Before extends unknown[] = []> = T extends readonly [infer Head, ...infer Rest]
  ? [V] extends [Head]
    ? Before['length']
    : PositionIn<Rest, V, [...Before, Head]>
  : never;

/** Position of `value` in `list`, or -1: the slow path, for entries the fast paths do not name. */
export function positionIn<T>(list: readonly T[], value: T): number {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return i;
  return -1;
}
