/** One target of the issue, as bench/results.json lists it. `met: null` = cannot be measured yet (not yet built). */
export interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly limit: number | null;
  readonly met: boolean | null;
  /** Why it is missed or not measured; the table prints it. */
  readonly note?: string;
  /** Why the limit is what it is (bench/targets.ts). */
  readonly reason?: string;
}

/** One part of the report: its targets, its markdown, and what it adds to bench/results.json. */
export interface Section {
  readonly targets: readonly Target[];
  readonly markdown: readonly string[];
  readonly json?: Readonly<Record<string, unknown>>;
}

export type Cell = string | number | null | undefined;

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const places = digits ?? (Number.isInteger(value) ? 0 : abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

const text = (cell: Cell): string => (cell === null || cell === undefined ? '—' : typeof cell === 'number' ? formatNumber(cell) : cell);

/** A GitHub-flavoured markdown table; numbers right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = headers.map(
    (_, column) =>
      rows.length > 0 && rows.every((row) => typeof row[column] === 'number' || row[column] === null || row[column] === undefined),
  );
  const lines = [
    `| ${headers.join(' | ')} |`,
    `|${headers.map((_, column) => (numeric[column] ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map((cell) => text(cell).replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function verdict(target: Target): string {
  if (target.met === null) return target.note?.startsWith('not yet built') ? 'not yet built' : 'n/a';
  return target.met ? 'met' : 'MISSED';
}

export function targetRows(targets: readonly Target[]): Cell[][] {
  return targets.map((target) => [
    target.name,
    target.value === null ? null : formatNumber(target.value, target.unit === '$/M requests' ? 2 : undefined),
    target.unit,
    target.limit === null ? null : formatNumber(target.limit, target.unit === '$/M requests' ? 2 : undefined),
    verdict(target),
    target.note === 'not yet built' ? '' : (target.note ?? ''),
  ]);
}
