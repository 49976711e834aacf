import type { Measurements } from './measure';
import { type Cell, markdownTable, type Section, type Target } from './report';
import { SCALE_CASES, SCALE_SIZES, type ScaleRow } from './scale';
import { round } from './stats';
import { LIMITS } from './targets';

/** The largest organization's page over the smallest's, in calls and in RRU (LIMITS.scaleRatio). */
function ratioTargets(label: string, small: ScaleRow | undefined, large: ScaleRow | undefined, largest: number): Target[] {
  const limit = LIMITS.scaleRatio;
  const sizes = `${largest.toLocaleString('en-US')} ÷ ${(SCALE_SIZES[0] ?? 0).toLocaleString('en-US')} members`;
  return (['calls', 'readUnits'] as const).map((measure) => {
    const before = small?.[measure];
    const after = large?.[measure];
    const ratio = before && after !== undefined ? after / before : null;
    return {
      name: `page ${measure === 'calls' ? 'calls' : 'RRU'}, ${sizes}: ${label}`,
      value: ratio === null ? null : round(ratio, 2),
      unit: limit.unit,
      limit: limit.limit,
      met: ratio === null ? null : ratio <= limit.limit,
      reason: limit.reason,
      ...(ratio === null ? { note: 'not measured' } : { note: `${after} vs ${before} ${measure === 'calls' ? 'calls' : 'RRU'}` }),
    };
  });
}

/** Organization reads at 10, 1,000 and 10,000 members (the cases and their designed calls: bench/scale.ts). */
export function scaleSection(input: Measurements): Section {
  const targets: Target[] = [];
  const rows: Cell[][] = input.scale.map((row) => [
    row.label,
    row.members,
    row.route ?? 'not yet built',
    row.calls,
    row.items,
    row.readUnits,
    row.readUsdPerMillion,
    row.pageMs,
  ]);
  const largest = SCALE_SIZES[SCALE_SIZES.length - 1] ?? 0;
  for (const scaleCase of SCALE_CASES) {
    const caseRows = input.scale.filter((row) => row.label === scaleCase.label);
    if (caseRows.every((row) => row.calls === undefined)) {
      targets.push({
        name: `constant in organization size: ${scaleCase.label}`,
        value: null,
        unit: 'calls (10,000 − 10 members)',
        limit: 0,
        met: null,
        note: 'not yet built',
      });
      continue;
    }
    const smallRow = caseRows.find((row) => row.members === SCALE_SIZES[0]);
    const largeRow = caseRows.find((row) => row.members === largest);
    const small = smallRow?.calls ?? 0;
    const large = largeRow?.calls ?? 0;
    if (scaleCase.withinRatio) targets.push(...ratioTargets(scaleCase.label, smallRow, largeRow, largest));
    if (scaleCase.designedCalls) {
      // Not a paged read: it may grow with the organization, as its design says, and no more.
      const designed = scaleCase.designedCalls(largest);
      targets.push({
        name: `within its designed calls at ${largest.toLocaleString('en-US')} members: ${scaleCase.label}`,
        value: large,
        unit: 'calls',
        limit: designed,
        met: large <= designed,
        reason: 'a read that ranks the whole roster may grow with it as its design says, and no more',
      });
    } else {
      targets.push({
        name: `constant in organization size: ${scaleCase.label}`,
        value: large - small,
        unit: 'calls (10,000 − 10 members)',
        limit: 0,
        met: large === small,
        reason: 'a paged read costs the same whatever the club’s size',
      });
    }
  }
  return {
    targets,
    markdown: [
      '### Scale (handler in process on DynamoDB Local, per page)',
      '',
      markdownTable(['case', 'members', 'route', 'calls', 'items read', 'RRU', 'DynamoDB $ per million pages', 'ms per page'], rows),
    ],
    json: { scale: input.scale },
  };
}
