import { readFileSync, writeFileSync } from 'node:fs';
import type { Measurements } from './measure';

/**
 * Measurements saved as JSON (Maps as `{ $map: entries }`; functions, such as the scenario's `run`,
 * and route contracts dropped), so the report can be rebuilt without measuring again: `npm run bench -- --save=FILE`,
 * then `npm run bench -- --from=FILE` after changing a report, a limit or an assumption.
 */
export function saveMeasurements(path: string, measurements: Measurements): void {
  writeFileSync(
    path,
    JSON.stringify(measurements, (_, value: unknown) => (value instanceof Map ? { $map: [...value] } : value)),
  );
}

export function loadMeasurements(path: string): Measurements {
  return JSON.parse(readFileSync(path, 'utf8'), (_, value: unknown) =>
    value !== null && typeof value === 'object' && '$map' in value ? new Map((value as { $map: [unknown, unknown][] }).$map) : value,
  ) as Measurements;
}
