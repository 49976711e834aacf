import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurements } from './measure';
import { type BenchOptions, machine } from './options';
import { PRICES } from './prices';
import { formatNumber, markdownTable, type Section, type Target, targetRows } from './report';
import { coldSection } from './report-cold';
import { authorizerCacheSection } from './report-authorizer-cache';
import { concurrencySection } from './report-concurrency';
import { costSection } from './report-cost';
import { dynamoSection } from './report-dynamo';
import { scaleSection } from './report-scale';
import { warmSection } from './report-warm';
import { LIMITS } from './targets';

/** Every section's targets and tables, and bench/results.json's content. */
export function buildReport(input: Measurements, options: BenchOptions) {
  const sections: Section[] = [
    coldSection(input, options),
    warmSection(input, options),
    dynamoSection(input),
    scaleSection(input),
    concurrencySection(input),
    authorizerCacheSection(input),
    costSection(input, options),
  ];
  const targets: Target[] = sections.flatMap((section) => section.targets);
  // A rebuilt report (--from) states the run's machine and load; snapshots older than that field, the rebuild's.
  const m = input.machine ?? machine();
  const json = {
    machine: m,
    quick: options.quick,
    targets: targets.map(({ name, value, unit, limit, met, note, reason }) => ({
      name,
      value,
      unit,
      limit,
      met,
      ...(note ? { note } : {}),
      ...(reason ? { reason } : {}),
    })),
    ...Object.assign({}, ...sections.map((section) => section.json ?? {})),
  };
  const markdown = [
    `Run ${m.date} on ${m.cpu} (${m.cores} cores), ${m.memoryGb} GB, ${m.os}, Node ${m.node}, load average ${m.loadAverage.join(' / ')} (1/5/15 min) at the end${options.quick ? ', **--quick** (fewer repetitions: not comparable)' : ''}. Prices: ${PRICES.region}, list prices as of ${PRICES.asOf} (bench/prices.ts).`,
    '',
    '### Targets',
    '',
    markdownTable(['target', 'value', 'unit', 'limit', 'verdict', 'note'], targetRows(targets)),
    '',
    '### Why each limit is what it is (bench/targets.ts)',
    '',
    markdownTable(
      ['limit', 'value', 'unit', 'reason'],
      Object.entries(LIMITS).map(([name, limit]) => [name, formatNumber(limit.limit), limit.unit, limit.reason]),
    ),
    '',
    ...sections.flatMap((section) => [...section.markdown, '']),
  ].join('\n');
  return { json, markdown };
}

const DOCS_START = '<!-- bench:results:start -->';
const DOCS_END = '<!-- bench:results:end -->';

/** Replaces the generated part of docs/benchmarks.md, between its two markers. */
export function writeDocs(markdown: string): void {
  const path = join(process.cwd(), 'docs', 'benchmarks.md');
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf(DOCS_START);
  const end = current.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${DOCS_START} … ${DOCS_END} section`);
  writeFileSync(path, `${current.slice(0, start + DOCS_START.length)}\n${markdown}\n${current.slice(end)}`);
}
