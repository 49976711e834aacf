import { readFileSync, writeFileSync } from 'node:fs';
import type { Measurements } from './measure';
import type { BenchOptions } from './options';

/** What `--save` writes: the measurements and the repetitions they were taken with (the report states them). */
export interface Snapshot {
  readonly measurements: Measurements;
  readonly options: BenchOptions;
}

/**
 * Measurements saved as JSON, so the report can be rebuilt without measuring again:
 * `npm run bench -- --save=FILE`, then `npm run bench -- --from=FILE` after changing a report, a limit
 * or an assumption. The repetitions come from the file; `--docs` and the cost assumptions from the
 * command line.
 *
 * Only plain data is kept (plainData): objects, arrays, Maps (as `{ $map: entries }`), bytes (as
 * `{ $bytes: base64 }`), dates (as ISO strings), strings, numbers, booleans. Functions (the scenario's
 * `run`, a step's `request`) and instances of any other class (the zod schemas in a route's contract,
 * whose graph is circular) are dropped, as is a route's `contract`: the report looks routes up by name.
 */
export function saveMeasurements(path: string, snapshot: Snapshot): void {
  writeFileSync(path, JSON.stringify(plainData(snapshot, new Set())));
}

export function loadMeasurements(path: string): Snapshot {
  return JSON.parse(readFileSync(path, 'utf8'), (_, value: unknown) => {
    if (value === null || typeof value !== 'object') return value;
    if ('$map' in value) return new Map((value as { $map: [unknown, unknown][] }).$map);
    if ('$bytes' in value) return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'));
    return value;
  }) as Snapshot;
}

/** `value` as plain data; `ancestors` are the objects being copied above it (a cycle back to one is dropped). */
function plainData(value: unknown, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (ancestors.has(value)) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  const prototype = Object.getPrototypeOf(value);
  const isMap = value instanceof Map;
  if (!isMap && !Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return undefined;
  ancestors.add(value);
  try {
    if (isMap) return { $map: [...value].map(([key, item]) => [plainData(key, ancestors), plainData(item, ancestors) ?? null]) };
    if (Array.isArray(value)) return value.map((item) => plainData(item, ancestors) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'contract') continue;
      const plain = plainData(item, ancestors);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
