import { CONNECTIONS } from './concurrency';
import type { Measurements } from './measure';
import { formatNumber, markdownTable, type Section, type Target } from './report';
import { round } from './stats';
import { LIMITS } from './targets';

/** The three loads under 30 connections: throughput, latency, errors, and the leaderboard's throughput against the public GET's. */
export function concurrencySection(input: Measurements): Section {
  const targets: Target[] = input.concurrency.map((load) => ({
    name: `errors under ${CONNECTIONS} connections: ${load.label}`,
    value: load.errors,
    unit: LIMITS.loadErrors.unit,
    limit: LIMITS.loadErrors.limit,
    met: load.errors <= LIMITS.loadErrors.limit,
    reason: LIMITS.loadErrors.reason,
    note: `${formatNumber(load.requests, 0)} requests`,
  }));
  const publicGet = input.concurrency.find((load) => load.route === 'organizations-get');
  const leaderboard = input.concurrency.find((load) => load.label.startsWith('leaderboard'));
  const ratio = publicGet && leaderboard ? leaderboard.requestsPerSecond / publicGet.requestsPerSecond : Number.NaN;
  targets.push({
    name: `leaderboard throughput ÷ public organization GET, ${CONNECTIONS} connections`,
    value: round(ratio, 3),
    unit: LIMITS.leaderboardThroughput.unit,
    limit: LIMITS.leaderboardThroughput.limit,
    met: ratio >= LIMITS.leaderboardThroughput.limit,
    reason: LIMITS.leaderboardThroughput.reason,
    ...(leaderboard && publicGet
      ? { note: `${formatNumber(leaderboard.requestsPerSecond)} vs ${formatNumber(publicGet.requestsPerSecond)} req/s${tableNote(input)}` }
      : {}),
  });
  return {
    targets,
    markdown: [
      `### Concurrency (local stack, ${CONNECTIONS} connections, autocannon)`,
      '',
      `Each load runs 2 s untimed, then ${input.concurrency[0]?.seconds ?? '—'} s timed, against the local gateway and handlers in the bench's process on DynamoDB Local (stream consumers stopped), from autocannon in its own process. Everything shares the machine's cores: compare the rows with each other, not with AWS.`,
      '',
      markdownTable(
        ['load', 'route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
        input.concurrency.map((load) => [
          load.label,
          load.route,
          load.requests,
          load.requestsPerSecond,
          load.p50Ms,
          load.p99Ms,
          load.errors,
        ]),
      ),
      ...tableMarkdown(input),
    ],
    json: { concurrency: input.concurrency, tableLoads: input.tableLoads ?? [] },
  };
}

/** The leaderboard's calls ÷ the public GET's, sent to DynamoDB Local alone: the ceiling on the stack's ratio. */
function tableRatio(input: Measurements): number | undefined {
  const loads = input.tableLoads ?? [];
  const publicGet = loads.find((load) => load.route === 'organizations-get');
  const leaderboard = loads.find((load) => load.label.startsWith('leaderboard'));
  return publicGet && leaderboard ? leaderboard.requestsPerSecond / publicGet.requestsPerSecond : undefined;
}

function tableNote(input: Measurements): string {
  const ratio = tableRatio(input);
  return ratio === undefined ? '' : `; the same calls sent to DynamoDB Local alone: ${formatNumber(ratio, 3)}×`;
}

function tableMarkdown(input: Measurements): string[] {
  const loads = input.tableLoads ?? [];
  if (loads.length === 0) return [];
  const ratio = tableRatio(input);
  return [
    '',
    `#### The same loads' DynamoDB calls, sent to DynamoDB Local alone (${CONNECTIONS} connections)`,
    '',
    'One request of each GET load was recorded below the SDK (signed headers and body); autocannon then sends those calls in order on each connection straight to DynamoDB Local: no gateway, handler or SDK. "req/s" is calls per second ÷ calls per request. The stack\'s ratio between two loads cannot beat the emulator\'s for the same calls.',
    '',
    markdownTable(
      ['load', 'route', 'calls per request', 'calls/s', 'req/s', 'p50 ms (a call)', 'p99 ms (a call)', 'errors'],
      loads.map((load) => [
        load.label,
        load.route,
        `${load.callsPerRequest} (${load.operations.join(', ')})`,
        load.callsPerSecond,
        load.requestsPerSecond,
        load.p50Ms,
        load.p99Ms,
        load.errors,
      ]),
    ),
    ...(ratio === undefined ? [] : ['', `Leaderboard ÷ public GET, DynamoDB Local alone: **${formatNumber(ratio, 3)}×**.`]),
  ];
}
