import type { Measurements } from './measure';
import { type Cell, markdownTable, type Section, type Target } from './report';
import { SCALE_CASES, SCALE_SIZES } from './scale';

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
    const small = caseRows.find((row) => row.members === SCALE_SIZES[0])?.calls ?? 0;
    const large = caseRows.find((row) => row.members === largest)?.calls ?? 0;
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
      markdownTable(['case', 'members', 'route', 'calls', 'items read', 'RRU', 'ms per page'], rows),
    ],
    json: { scale: input.scale },
  };
}
