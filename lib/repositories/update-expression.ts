/**
 * A SET/REMOVE update expression from plain field maps, every name and value placeholdered (field
 * names may be reserved words or contain `#`).
 */
export function updateExpression(set: Readonly<Record<string, unknown>>, remove: readonly string[]) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  let i = 0;
  for (const [field, value] of Object.entries(set)) {
    names[`#u${i}`] = field;
    values[`:u${i}`] = value;
    sets.push(`#u${i} = :u${i}`);
    i += 1;
  }
  for (const field of remove) {
    names[`#u${i}`] = field;
    removes.push(`#u${i}`);
    i += 1;
  }
  const expression =
    `${sets.length > 0 ? `SET ${sets.join(', ')}` : ''}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`.trim();
  return { expression, names, values };
}
