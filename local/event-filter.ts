/**
 * Lambda event filtering (the subset of EventBridge pattern syntax that event source mappings
 * support), evaluated against a record in the JSON shape the function would receive. A record is
 * delivered when any pattern matches; filtered-out records are consumed without an invocation.
 */
export type FilterPattern = { readonly [key: string]: FilterPattern | readonly unknown[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function numericMatches(operations: readonly unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let index = 0; index + 1 < operations.length; index += 2) {
    const operator = operations[index];
    const operand = operations[index + 1] as number;
    const ok =
      operator === '='
        ? value === operand
        : operator === '<'
          ? value < operand
          : operator === '<='
            ? value <= operand
            : operator === '>'
              ? value > operand
              : operator === '>='
                ? value >= operand
                : (() => {
                    throw new Error(`unsupported numeric operator in filter: ${String(operator)}`);
                  })();
    if (!ok) return false;
  }
  return true;
}

/** One matcher of a field's list against a present value (`exists` is handled by the caller). */
function matcherMatches(matcher: unknown, value: unknown): boolean {
  if (!isRecord(matcher)) return matcher === value;
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'numeric':
      return numericMatches(operand as readonly unknown[], value);
    case 'anything-but': {
      if (isRecord(operand)) return !matcherMatches(operand, value);
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(value);
    }
    default:
      throw new Error(`unsupported filter operator: ${String(operator)}`);
  }
}

function fieldMatches(matchers: readonly unknown[], present: boolean, value: unknown): boolean {
  return matchers.some((matcher) => {
    if (isRecord(matcher) && 'exists' in matcher) return matcher.exists === present;
    if (!present) return false;
    // An array in the event matches when any of its elements does.
    return Array.isArray(value) ? value.some((element) => matcherMatches(matcher, element)) : matcherMatches(matcher, value);
  });
}

export function matchesFilterPattern(pattern: FilterPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const present = isRecord(event) && key in event && event[key] !== undefined;
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) return fieldMatches(expected, present, value);
    return present && matchesFilterPattern(expected as FilterPattern, value);
  });
}

export const matchesAnyFilter = (patterns: readonly FilterPattern[] | undefined, event: unknown): boolean =>
  !patterns || patterns.length === 0 || patterns.some((pattern) => matchesFilterPattern(pattern, event));
