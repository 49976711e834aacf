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
      ? { note: `${formatNumber(leaderboard.requestsPerSecond)} vs ${formatNumber(publicGet.requestsPerSecond)} req/s` }
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
    ],
    json: { concurrency: input.concurrency },
  };
}
