import { ROUTES } from '../functions/manifest';
import { AUTHORIZER_DESIGNED, checkAgainstDesign, checkUnits, DESIGNED, DESIGNED_UNITS } from './designed';
import { type DynamoCall, totals } from './dynamo-recorder';
import { type Measurements, WARM_KEYS } from './measure';
import { type Cell, markdownTable, type Section, type Target } from './report';
import type { StepResult } from './scenario';
import { LIMITS } from './targets';

const describe = (call: DynamoCall): string =>
  `${call.operation}${call.index ? ' (index)' : call.consistent === true ? ' (strong)' : call.consistent === false ? ' (eventual)' : ''}`;

/** Handler capacity, and the stream consumers' writes, of a route's representative request. */
export function unitsOf(result: StepResult): { read: number; write: number; streamWrite: number } {
  const handler = totals(result.invoked.handler?.invocation.calls ?? []);
  const stream = totals(result.consumers.flatMap((consumer) => consumer.invocation.calls));
  return { read: handler.readUnits, write: handler.writeUnits, streamWrite: stream.writeUnits };
}

function routeTargets(name: string, result: StepResult | undefined): Target[] {
  const design = DESIGNED[name];
  const designedUnits = DESIGNED_UNITS[name];
  if (!result) {
    const missing = { value: null, met: null, note: 'no scenario step for this route yet' };
    return [
      {
        name: `DynamoDB calls: ${name}`,
        unit: 'calls',
        limit: design?.calls.length ?? null,
        reason: LIMITS.designedCalls.reason,
        ...missing,
      },
      { name: `DynamoDB RRU: ${name}`, unit: 'RRU', limit: designedUnits?.read ?? null, reason: LIMITS.designedUnits.reason, ...missing },
    ];
  }
  const calls = result.invoked.handler?.invocation.calls ?? [];
  const check = design ? checkAgainstDesign(calls, design) : { met: false, problems: ['no designed minimum in bench/designed.ts'] };
  const measured = unitsOf(result);
  const unitCheck = designedUnits
    ? checkUnits(measured, designedUnits)
    : { met: false, problems: ['no designed units in bench/designed.ts'] };
  const unitsTarget = (unit: 'RRU' | 'WRU' | 'stream WRU', value: number, limit: number | undefined): Target => ({
    name: `DynamoDB ${unit}: ${name}`,
    value,
    unit,
    limit: limit ?? null,
    met: limit === undefined ? false : value <= limit,
    reason: LIMITS.designedUnits.reason,
    ...(limit === undefined
      ? { note: unitCheck.problems.join('; ') }
      : value > limit && designedUnits?.why
        ? { note: `designed: ${designedUnits.why}` }
        : {}),
  });
  // A kind of unit the route neither uses nor is designed to use gets no row of its own.
  const used = (value: number, limit: number | undefined): boolean => value > 0 || (limit ?? 0) > 0;
  return [
    {
      name: `DynamoDB calls: ${name}`,
      value: calls.length,
      unit: 'calls',
      limit: design?.calls.length ?? null,
      met: check.met,
      reason: LIMITS.designedCalls.reason,
      ...(check.met ? {} : { note: check.problems.join('; ') }),
    },
    ...(used(measured.read, designedUnits?.read) ? [unitsTarget('RRU', measured.read, designedUnits?.read)] : []),
    ...(used(measured.write, designedUnits?.write) ? [unitsTarget('WRU', measured.write, designedUnits?.write)] : []),
    ...(used(measured.streamWrite, designedUnits?.streamWrite)
      ? [unitsTarget('stream WRU', measured.streamWrite, designedUnits?.streamWrite)]
      : []),
  ];
}

/** DynamoDB work per route against its design: calls, their kind and consistency, and RRU/WRU. */
export function dynamoSection(input: Measurements): Section {
  const { scenario } = input;
  const targets: Target[] = [];
  const rows: Cell[][] = [];
  let scans = 0;
  for (const route of ROUTES) {
    const result = scenario.representative.get(route.name);
    targets.push(...routeTargets(route.name, result));
    if (!result) continue;
    const calls = result.invoked.handler?.invocation.calls ?? [];
    scans += calls.filter((call) => call.operation === 'Scan').length;
    const measured = unitsOf(result);
    const designed = DESIGNED_UNITS[route.name];
    rows.push([
      route.name,
      calls.map(describe).join(', '),
      calls.length,
      DESIGNED[route.name]?.calls.length,
      measured.read,
      designed?.read,
      measured.write,
      designed?.write,
      totals(calls).indexUnits,
      result.consumers.length,
      measured.streamWrite,
      designed?.streamWrite,
      DESIGNED[route.name]?.source,
    ]);
  }
  for (const result of scenario.results)
    scans += (result.invoked.authorizer?.invocation.calls ?? []).filter((call) => call.operation === 'Scan').length;
  targets.push({
    name: 'Scan calls in the whole scenario',
    value: scans,
    unit: 'calls',
    limit: 0,
    met: scans === 0,
    reason: LIMITS.scans.reason,
  });
  const authorizerRows = authorizerCallRows(input);
  return {
    targets,
    markdown: dynamoMarkdown(rows, authorizerRows),
    json: {
      dynamoDb: Object.fromEntries(
        [...scenario.representative].map(([name, result]) => [
          name,
          {
            handler: result.invoked.handler?.invocation.calls,
            authorizer: result.invoked.authorizer?.invocation.calls,
            consumers: result.consumers.map((c) => ({ consumer: c.consumer, records: c.records, calls: c.invocation.calls })),
          },
        ]),
      ),
    },
  };
}

function dynamoMarkdown(rows: Cell[][], authorizerRows: Cell[][]): string[] {
  return [
    '### DynamoDB work per endpoint (scripted scenario on DynamoDB Local: its ReturnConsumedCapacity, transactions sized as AWS bills them)',
    '',
    markdownTable(
      [
        'endpoint',
        'calls',
        'count',
        'designed',
        'RRU',
        'designed RRU',
        'WRU',
        'designed WRU',
        'of which index',
        'stream consumer invocations',
        'stream WRU',
        'designed stream WRU',
        'design source',
      ],
      rows,
    ),
    '',
    markdownTable(['authorizer', 'DynamoDB calls', 'designed'], authorizerRows),
  ];
}

/** The authorizer's DynamoDB calls: a new app key, the same key again, a bearer token. */
function authorizerCallRows(input: Measurements): Cell[][] {
  const { scenario } = input;
  return [
    [
      'first request with an app key (cold cache)',
      scenario.results.find((r) => r.step.as === 'app')?.invoked.authorizer?.invocation.calls.length,
      AUTHORIZER_DESIGNED.coldAppKey.calls.length,
    ],
    ['later requests with the same key (warm container)', input.warm.get(WARM_KEYS.appKey)?.sdk?.callsPerInvocation, 0],
    ['bearer token', input.warm.get(WARM_KEYS.bearer)?.sdk?.callsPerInvocation, 0],
  ];
}
