import { safeParse, type core } from 'zod/mini';
import { ValidationError, type ErrorDetail } from '../errors';

/** A key as a path names it: an empty key (`{"": 1}` is valid JSON) as `""`, so no path is empty. */
export const segment = (key: PropertyKey): string => (key === '' ? '""' : String(key));

/** Turns zod issues into our `details`, one entry per offending field (unknown keys named one by one). */
export function issuesToDetails(issues: readonly core.$ZodIssue[], root: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = issue.path.map(segment).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${segment(key)}` : segment(key), message: 'unknown field' });
      continue;
    }
    details.push({ path: base || root, message: issue.message });
  }
  return details;
}

const UNITS: Readonly<Record<string, readonly [one: string, many: string]>> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
};

/** zod's type names that a JSON client would not recognise. */
const JSON_TYPES: Readonly<Record<string, string>> = { int: 'integer', record: 'object', tuple: 'array' };

const FORMATS: Readonly<Record<string, string>> = {
  date: 'must be a date (YYYY-MM-DD)',
  datetime: 'must be an ISO 8601 date-time with a time zone offset',
  url: 'must be a URL',
  regex: 'has an invalid format',
};

function bound(
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  exact: boolean | undefined,
  direction: 'most' | 'least',
): string {
  const units = UNITS[origin];
  if (units) return `${exact ? 'exactly' : `at ${direction}`} ${limit} ${limit === 1 ? units[0] : units[1]}`;
  if (exact) return `must be exactly ${limit}`;
  if (inclusive === false) return `must be ${direction === 'most' ? 'less' : 'greater'} than ${limit}`;
  return `must be at ${direction} ${limit}`;
}

/**
 * Our messages for zod's issue codes. zod/mini installs no locale (loading zod's would cost every
 * cold start), so the messages clients read are written here; a schema's own message (a pattern's,
 * a refinement's) still wins over these.
 */
function messageFor(issue: core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Only the raw issue has the input: zod drops it from the issues it returns.
      if (issue.input === undefined) return 'required';
      return `expected ${JSON_TYPES[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive, issue.exact, 'most');
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive, issue.exact, 'least');
    case 'invalid_format':
      return FORMATS[issue.format] ?? `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return `invalid key: ${issue.issues[0]?.message ?? 'not allowed'}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return 'invalid value';
  }
}

const messages = { error: messageFor } as const;

export function parseWith<T>(schema: core.$ZodType<T>, value: unknown, root: string): T {
  const result = safeParse(schema, value, messages);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues, root);
  const fields = [...new Set(details.map((d) => d.path))].join(', ');
  throw new ValidationError(`invalid request: ${fields}`, details);
}
