import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../errors';

/** Turns zod issues into our `details`, one entry per offending field (unknown keys named one by one). */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], root: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: 'unknown field' });
      continue;
    }
    details.push({ path: base || root, message: describeIssue(issue) });
  }
  return details;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return issue.message;
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues, root);
  const fields = [...new Set(details.map((d) => d.path))].join(', ');
  throw new ValidationError(`invalid request: ${fields}`, details);
}
