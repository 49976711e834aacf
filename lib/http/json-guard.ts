import { ValidationError, type ErrorDetail } from '../errors';
import { segment } from './validation';

/**
 * Deeper than any request schema goes (a body's deepest field is `settings`, itself at most 8 levels,
 * lib/http/fields.ts) and well under DynamoDB's 32 levels. Checked before zod sees the body: zod's
 * recursive JSON schema overflows the stack on a body nested 10,000 levels (a RangeError, a 500).
 */
export const MAX_BODY_DEPTH = 16;

/**
 * Keys no body may hold at any depth. JSON.parse makes `__proto__` an own property; zod's objects and
 * records then drop it silently (or a merge would copy it onto a prototype), so it is refused and named.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * DynamoDB stores numbers of magnitude 1e-130..1e126 with 38 significant digits, and our marshaller
 * refuses integers beyond ±(2^53 − 1). A double has at most 17 significant digits, and every double of
 * magnitude 2^53 or more is an integer, so the safe-integer check also bounds the top of the range.
 */
const MIN_STORABLE_MAGNITUDE = 1e-130;

/** A lone (unpaired) UTF-16 surrogate: `"\ud800"` in JSON; not a Unicode character, not storable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why DynamoDB could not hold this number as sent, or undefined when it can. */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `must be at most ${Number.MAX_SAFE_INTEGER} in magnitude`;
  if (value !== 0 && Math.abs(value) < MIN_STORABLE_MAGNITUDE) return 'must be 0 or at least 1e-130 in magnitude';
  return undefined;
}

const MAX_DETAILS = 20;

class Screen {
  readonly details: ErrorDetail[] = [];

  private fail(path: readonly (string | number)[], message: string): void {
    if (this.details.length < MAX_DETAILS) this.details.push({ path: path.length > 0 ? path.map(segment).join('.') : 'body', message });
  }

  /** The value with every string in NFC; problems are collected, not thrown, so all of them are named. */
  visit(value: unknown, path: (string | number)[]): unknown {
    if (typeof value === 'string') return this.text(value, path);
    if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) this.fail(path, problem);
      return value;
    }
    if (value === null || typeof value !== 'object') return value;
    if (path.length >= MAX_BODY_DEPTH) {
      this.fail(path, `nested deeper than ${MAX_BODY_DEPTH} levels`);
      return value;
    }
    if (Array.isArray(value)) return value.map((item, index) => this.visit(item, [...path, index]));
    return this.object(value as Record<string, unknown>, path);
  }

  private object(value: Record<string, unknown>, path: (string | number)[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const keyPath = [...path, key];
      if (FORBIDDEN_KEYS.has(key)) this.fail(keyPath, 'this key is not allowed');
      else if (LONE_SURROGATE.test(key)) this.fail(path, `key ${JSON.stringify(key)} is not valid Unicode (a lone surrogate)`);
      // Only a forbidden key could reach a prototype through this assignment, and none gets here.
      else out[key] = this.visit(value[key], keyPath);
    }
    return out;
  }

  private text(value: string, path: readonly (string | number)[]): string {
    if (LONE_SURROGATE.test(value)) {
      this.fail(path, 'is not valid Unicode (a lone surrogate)');
      return value;
    }
    // api.md: text is stored in NFC, so "é" typed either way is one string (and one name).
    return value.normalize('NFC');
  }
}

/**
 * The checks every JSON body passes before its schema, once for all endpoints: no forbidden key, no
 * nesting beyond MAX_BODY_DEPTH, no number DynamoDB cannot store, no lone surrogate; strings come back
 * in NFC. A 400 names each offending path.
 */
export function screenJsonBody(value: unknown): unknown {
  const screen = new Screen();
  const screened = screen.visit(value, []);
  if (screen.details.length > 0) {
    const fields = [...new Set(screen.details.map((d) => d.path))].join(', ');
    throw new ValidationError(`invalid request: ${fields}`, screen.details);
  }
  return screened;
}
